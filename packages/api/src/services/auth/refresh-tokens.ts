import { createHash, randomBytes } from 'node:crypto';
import { type Db, newId } from '@tradepool/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';

/** A refresh token lives 14 days unless used (each use rotates it); a session ends 30 days after sign-in whatever. */
export const REFRESH_IDLE_MS = 14 * 24 * 60 * 60_000;
export const SESSION_MAX_MS = 30 * 24 * 60 * 60_000;

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

export interface IssuedRefreshToken {
  token: string;
  id: string;
  sessionId: string;
  expiresAt: Date;
}

/** Starts a new session (token family) for a user who just proved who they are. */
export async function startSession(
  deps: ServiceDeps,
  tx: Db,
  input: { userId: string; ip: string | null; userAgent: string | null },
): Promise<IssuedRefreshToken> {
  const now = deps.clock.now();
  const familyExpiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  return insertToken(deps, tx, { ...input, familyId: newId(), familyExpiresAt, now });
}

export async function insertToken(
  deps: ServiceDeps,
  tx: Db,
  input: {
    userId: string;
    familyId: string;
    familyExpiresAt: Date;
    now: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<IssuedRefreshToken> {
  const { refreshTokens } = deps.database.schema;
  const token = newRefreshToken();
  const id = newId();
  const expiresAt = new Date(
    Math.min(input.now.getTime() + REFRESH_IDLE_MS, input.familyExpiresAt.getTime()),
  );
  await tx.insert(refreshTokens).values({
    id,
    userId: input.userId,
    familyId: input.familyId,
    tokenHash: hashRefreshToken(token),
    createdAt: input.now,
    expiresAt,
    familyExpiresAt: input.familyExpiresAt,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    ip: input.ip,
  });
  return { token, id, sessionId: input.familyId, expiresAt };
}

/** Ends one session (all its tokens) or, without `familyId`, every session of the user. */
export async function revokeSessions(
  deps: ServiceDeps,
  tx: Db,
  input: { userId: string; familyId?: string; reason: string },
): Promise<number> {
  const { refreshTokens } = deps.database.schema;
  const rows = await tx
    .update(refreshTokens)
    .set({ revokedAt: deps.clock.now(), revokedReason: input.reason })
    .where(
      and(
        eq(refreshTokens.userId, input.userId),
        input.familyId ? eq(refreshTokens.familyId, input.familyId) : undefined,
        isNull(refreshTokens.revokedAt),
      ),
    )
    .returning({ id: refreshTokens.id });
  return rows.length;
}
