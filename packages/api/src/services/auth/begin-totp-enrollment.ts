import { AppError, type TotpEnrollmentView } from '@tradepool/domain';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from '../../context';
import { loadSelf } from './account';
import { createEnrollment } from './totp';

/** Starts (or restarts) enrolment: a new secret, kept sealed until a code proves the authenticator has it. */
export async function beginTotpEnrollment(ctx: Context): Promise<TotpEnrollmentView> {
  const { users } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
  }
  const enrollment = await createEnrollment(user.email);
  await ctx.database.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        totpSecretEnc: ctx.secrets.seal(enrollment.secret),
        totpLastUsedStep: null,
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)));
  });
  return enrollment;
}
