import { AppError, type RecoveryCodesView } from '@tradepool/domain';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from '../../context';
import { loadSelf } from './account';
import { auditOwnAccount } from './audit-own-account';
import { matchingStep, openSeed, replaceRecoveryCodes } from './totp';

/** Confirms enrolment with a code from the authenticator; returns the recovery codes, shown this once. */
export async function confirmTotpEnrollment(ctx: Context, code: string): Promise<RecoveryCodesView> {
  const { users } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
  }
  if (!user.totpSecretEnc) {
    throw new AppError('CONFLICT', 'Start two-factor setup first');
  }
  const step = matchingStep(openSeed(ctx, user.totpSecretEnc), user.email, code.trim(), ctx.clock.now());
  if (step === null) {
    throw new AppError(
      'BAD_REQUEST',
      'That code does not match: check the time on your device and try again',
      {
        fields: { code: 'does not match' },
      },
    );
  }
  const recoveryCodes = await ctx.database.transaction(async (tx) => {
    const enabled = await tx
      .update(users)
      .set({
        totpEnabledAt: ctx.clock.now(),
        totpLastUsedStep: step,
        totpFailures: 0,
        totpLockedUntil: null,
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)))
      .returning({ id: users.id });
    if (enabled.length === 0) {
      throw new AppError('CONFLICT', 'Two-factor authentication is already enabled');
    }
    const codes = await replaceRecoveryCodes(ctx, tx, user.id);
    await auditOwnAccount(ctx, tx, user, 'user.totp_enabled');
    return codes;
  });
  return { recoveryCodes };
}
