import { AppError, type ChangePasswordInput } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import type { Context } from '../../context';
import { loadSelf } from './account';
import { auditOwnAccount } from './audit-own-account';
import { type IssuedSession, sessionFor } from './issue-session';
import { hashPassword, verifyPassword } from './passwords';
import { revokeSessions, startSession } from './refresh-tokens';
import { throttledPasswordCheck } from './sign-in-throttle';

/**
 * Changes the password and ends every session (open sockets and streams included); the caller gets a fresh session
 * so the person who just changed it stays signed in on this device.
 */
export async function changePassword(ctx: Context, input: ChangePasswordInput): Promise<IssuedSession> {
  const { users } = ctx.database.schema;
  const current = await loadSelf(ctx);
  // A stolen access token gets no more password guesses than the sign-in form: the same per-account budget.
  if (
    !(await throttledPasswordCheck(ctx, current.email, () =>
      verifyPassword(current.passwordHash, input.currentPassword),
    ))
  ) {
    throw new AppError('BAD_REQUEST', 'Current password is incorrect', {
      fields: { currentPassword: 'is incorrect' },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const result = await ctx.database.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, tokenVersion: current.tokenVersion + 1, updatedAt: ctx.clock.now() })
      .where(eq(users.id, current.id))
      .returning();
    if (!user) {
      throw new AppError('NOT_FOUND', 'Account not found');
    }
    await revokeSessions(ctx, tx, { userId: user.id, reason: 'password_changed' });
    const refreshed = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await auditOwnAccount(ctx, tx, user, 'user.password_changed');
    return { user, refreshed };
  });
  ctx.sessionEvents.emit('revoked', { userId: current.id, reason: 'password_changed' });
  return sessionFor(ctx, result.user, result.refreshed);
}
