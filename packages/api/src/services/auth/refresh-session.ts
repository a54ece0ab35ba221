import type { User } from '@tradepool/db';
import { AppError } from '@tradepool/domain';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type IssuedSession, sessionFor } from './issue-session';
import { hashRefreshToken, insertToken, revokeSessions } from './refresh-tokens';
import { findUserById } from './users';

type RefreshOutcome =
  | { kind: 'ok'; user: User; token: string; sessionId: string; expiresAt: Date }
  | { kind: 'reuse'; userId: string; sessionId: string }
  | { kind: 'invalid' };

/**
 * Spends a refresh token for a new pair. A token that was already spent means it leaked (or was replayed): the whole
 * family is revoked, ending the legitimate session too, which is the point.
 */
export async function refreshSession(ctx: Context, refreshToken: string): Promise<IssuedSession> {
  const { refreshTokens } = ctx.database.schema;
  const now = ctx.clock.now();
  const outcome = await ctx.database.transaction(async (tx): Promise<RefreshOutcome> => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashRefreshToken(refreshToken)))
      .limit(1);
    if (!row || row.revokedAt) {
      return { kind: 'invalid' };
    }
    const spend = await tx
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
      .returning({ id: refreshTokens.id });
    if (spend.length === 0) {
      await revokeSessions(ctx, tx, {
        userId: row.userId,
        familyId: row.familyId,
        reason: 'refresh_token_reuse',
      });
      const owner = await findUserById(tx, ctx.database, row.userId);
      await recordAudit(ctx, tx, {
        actor: owner ? actorOf(owner) : null,
        action: 'auth.refresh_reuse_detected',
        target: { type: 'session', id: row.familyId },
        ip: ctx.ip,
      });
      return { kind: 'reuse', userId: row.userId, sessionId: row.familyId };
    }
    if (row.expiresAt.getTime() <= now.getTime() || row.familyExpiresAt.getTime() <= now.getTime()) {
      return { kind: 'invalid' };
    }
    const user = await findUserById(tx, ctx.database, row.userId);
    if (!user || user.disabledAt) {
      return { kind: 'invalid' };
    }
    const next = await insertToken(ctx, tx, {
      userId: user.id,
      familyId: row.familyId,
      familyExpiresAt: row.familyExpiresAt,
      now,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    await tx.update(refreshTokens).set({ replacedById: next.id }).where(eq(refreshTokens.id, row.id));
    return { kind: 'ok', user, token: next.token, sessionId: next.sessionId, expiresAt: next.expiresAt };
  });
  if (outcome.kind === 'reuse') {
    ctx.sessionEvents.emit('revoked', {
      userId: outcome.userId,
      sessionId: outcome.sessionId,
      reason: 'refresh_token_reuse',
    });
    throw new AppError('UNAUTHORIZED', 'Session expired: sign in again');
  }
  if (outcome.kind === 'invalid') {
    throw new AppError('UNAUTHORIZED', 'Session expired: sign in again');
  }
  return sessionFor(ctx, outcome.user, outcome);
}
