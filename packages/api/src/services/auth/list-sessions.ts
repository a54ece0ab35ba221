import type { SessionView } from '@tradepool/domain';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';

/** The caller's live sessions: one per token family that still has an unspent, unrevoked, unexpired token. */
export async function listSessions(ctx: Context): Promise<SessionView[]> {
  const user = requireUser(ctx);
  const { refreshTokens } = ctx.database.schema;
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .select()
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.userId, user.id),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.familyExpiresAt, now),
      ),
    );
  const families = new Map<string, typeof rows>();
  for (const row of rows) {
    families.set(row.familyId, [...(families.get(row.familyId) ?? []), row]);
  }
  const sessions: SessionView[] = [];
  for (const [familyId, tokens] of families) {
    const live = tokens.find((t) => t.usedAt === null && t.expiresAt.getTime() > now.getTime());
    if (!live) {
      continue;
    }
    const started = new Date(Math.min(...tokens.map((t) => t.createdAt.getTime())));
    sessions.push({
      id: familyId,
      current: familyId === user.sessionId,
      startedAt: started.toISOString(),
      lastUsedAt: live.createdAt.toISOString(),
      expiresAt: live.familyExpiresAt.toISOString(),
      ip: live.ip,
      userAgent: live.userAgent,
    });
  }
  return sessions.sort((a, b) => (a.current ? -1 : b.current ? 1 : b.lastUsedAt.localeCompare(a.lastUsedAt)));
}
