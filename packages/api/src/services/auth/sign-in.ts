import { AppError, type LoginInput } from '@tradepool/domain';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { auditOwnAccount } from './audit-own-account';
import { actorOf, type IssuedSession, sessionFor } from './issue-session';
import { verifyAgainstDummy, verifyPassword } from './passwords';
import { startSession } from './refresh-tokens';
import { throttledPasswordCheck } from './sign-in-throttle';
import { checkSecondFactor, lockedError } from './totp';
import { findUserByEmail, findUserById } from './users';

const INVALID_CREDENTIALS = 'Invalid email or password';

/**
 * Password (and, when enabled, TOTP or a recovery code) for a session. Unknown email and wrong password answer the
 * same; attempts are throttled per account whatever the client IP, and per IP (`throttledPasswordCheck`).
 */
export async function signIn(ctx: Context, input: LoginInput): Promise<IssuedSession> {
  const user = await findUserByEmail(ctx.database.db, ctx.database, input.email);
  const passwordOk = await throttledPasswordCheck(ctx, input.email, () =>
    user ? verifyPassword(user.passwordHash, input.password) : verifyAgainstDummy(input.password),
  );
  if (!user || !passwordOk) {
    await ctx.database.transaction((tx) =>
      recordAudit(ctx, tx, {
        actor: user ? actorOf(user) : null,
        action: 'auth.login_failed',
        target: user ? { type: 'user', id: user.id } : null,
        after: { email: input.email, reason: user ? 'password' : 'unknown_email' },
        ip: ctx.ip,
      }),
    );
    throw new AppError('UNAUTHORIZED', INVALID_CREDENTIALS);
  }
  if (user.disabledAt) {
    throw new AppError('FORBIDDEN', 'This account is disabled. Contact support.');
  }
  if (user.totpEnabledAt) {
    if (!input.totp) {
      throw new AppError('UNAUTHORIZED', 'Two-factor code required', { details: { totpRequired: true } });
    }
    const code = input.totp;
    const outcome = await ctx.database.transaction(async (tx) => {
      const fresh = await findUserById(tx, ctx.database, user.id);
      if (!fresh) {
        return { ok: false as const, locked: false };
      }
      const check = await checkSecondFactor(ctx, tx, fresh, code);
      if (!check.ok && !check.locked) {
        await auditOwnAccount(ctx, tx, user, 'auth.totp_failed');
      }
      return check;
    });
    if (!outcome.ok) {
      if (outcome.locked) {
        const locked = await findUserById(ctx.database.db, ctx.database, user.id);
        throw lockedError(locked ?? user, ctx.clock.now());
      }
      throw new AppError('UNAUTHORIZED', 'Invalid two-factor code', { details: { totpRequired: true } });
    }
  }
  const refresh = await ctx.database.transaction(async (tx) => {
    const issued = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'auth.login',
      target: { type: 'session', id: issued.sessionId },
      ip: ctx.ip,
    });
    return issued;
  });
  return sessionFor(ctx, user, refresh);
}
