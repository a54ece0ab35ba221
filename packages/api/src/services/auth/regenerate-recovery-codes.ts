import { AppError, type RecoveryCodesView } from '@tradepool/domain';
import type { Context } from '../../context';
import { loadSelf, secondFactorRefusal } from './account';
import { auditOwnAccount } from './audit-own-account';
import { checkSecondFactor, replaceRecoveryCodes } from './totp';

/** Replaces the recovery codes (after a fresh TOTP code): the old ones stop working. */
export async function regenerateRecoveryCodes(ctx: Context, code: string): Promise<RecoveryCodesView> {
  const user = await loadSelf(ctx);
  if (!user.totpEnabledAt) {
    throw new AppError('CONFLICT', 'Two-factor authentication is not enabled');
  }
  const outcome = await ctx.database.transaction(async (tx) => {
    const check = await checkSecondFactor(ctx, tx, user, code);
    if (!check.ok) {
      return { check, codes: [] as string[] };
    }
    const codes = await replaceRecoveryCodes(ctx, tx, user.id);
    await auditOwnAccount(ctx, tx, user, 'user.recovery_codes_regenerated');
    return { check, codes };
  });
  if (!outcome.check.ok) {
    throw await secondFactorRefusal(ctx, user, outcome.check);
  }
  return { recoveryCodes: outcome.codes };
}
