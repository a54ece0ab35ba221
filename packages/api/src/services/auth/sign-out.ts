import { eq } from 'drizzle-orm';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { actorOf } from './issue-session';
import { hashRefreshToken, revokeSessions } from './refresh-tokens';
import { findUserById } from './users';

/** Ends the caller's session, and the session of `refreshToken` when given (it must be the caller's own). */
export async function signOut(ctx: Context, input: { refreshToken?: string | undefined }): Promise<void> {
  const { refreshTokens } = ctx.database.schema;
  const families = new Map<string, string>();
  if (ctx.user) {
    families.set(ctx.user.sessionId, ctx.user.id);
  }
  if (input.refreshToken) {
    const [row] = await ctx.database.db
      .select({ familyId: refreshTokens.familyId, userId: refreshTokens.userId })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(input.refreshToken)))
      .limit(1);
    if (row && (!ctx.user || row.userId === ctx.user.id)) {
      families.set(row.familyId, row.userId);
    }
  }
  if (families.size === 0) {
    return;
  }
  await ctx.database.transaction(async (tx) => {
    for (const [familyId, userId] of families) {
      const ended = await revokeSessions(ctx, tx, { userId, familyId, reason: 'logout' });
      if (ended > 0) {
        const user = await findUserById(tx, ctx.database, userId);
        await recordAudit(ctx, tx, {
          actor: user ? actorOf(user) : null,
          action: 'auth.logout',
          target: { type: 'session', id: familyId },
          ip: ctx.ip,
        });
      }
    }
  });
  for (const [sessionId, userId] of families) {
    ctx.sessionEvents.emit('revoked', { userId, sessionId, reason: 'logout' });
  }
}
