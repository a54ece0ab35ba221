import { AppError } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import type { Context } from '../../context';
import { loadSelf, secondFactorRefusal } from './account';
import { auditOwnAccount } from './audit-own-account';
import { verifyPassword } from './passwords';
import { throttledPasswordCheck } from './sign-in-throttle';
import { checkSecondFactor } from './totp';

/** Turns 2FA off: needs the password and a current code (or a recovery code). */
export async function disableTotp(ctx: Context, input: { password: string; code: string }): Promise<void> {
  const { users, recoveryCodes } = ctx.database.schema;
  const user = await loadSelf(ctx);
  if (!user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is not enabled');
  }
  if (ctx.config.requireAdmin2fa && (user.role === 'ADMIN' || user.role === 'MANAGER')) {
    throw new AppError(
      'FORBIDDEN',
      'Two-factor authentication is required for your role and cannot be turned off',
    );
  }
  if (
    !(await throttledPasswordCheck(ctx, user.email, () => verifyPassword(user.passwordHash, input.password)))
  ) {
    throw new AppError('BAD_REQUEST', 'Password is incorrect', { fields: { password: 'is incorrect' } });
  }
  const outcome = await ctx.database.transaction(async (tx) => {
    const check = await checkSecondFactor(ctx, tx, user, input.code);
    if (!check.ok) {
      return check;
    }
    await tx
      .update(users)
      .set({ totpEnabledAt: null, totpSecretEnc: null, totpLastUsedStep: null, updatedAt: ctx.clock.now() })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await auditOwnAccount(ctx, tx, user, 'user.totp_disabled');
    return check;
  });
  if (!outcome.ok) {
    throw await secondFactorRefusal(ctx, user, outcome);
  }
}
