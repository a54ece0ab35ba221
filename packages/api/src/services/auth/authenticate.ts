import { and, eq, gt, isNull } from 'drizzle-orm';
import type { ServiceDeps, SessionUser } from '../../context';

/**
 * Resolves an access token to its user, checking what a signature alone cannot: the account still exists and is
 * enabled, the token predates no password/role change (tokenVersion), and its session has not been revoked.
 */
export async function authenticate(deps: ServiceDeps, token: string): Promise<SessionUser | null> {
  const claims = await deps.tokens.verify(token);
  if (!claims) {
    return null;
  }
  const { users, refreshTokens } = deps.database.schema;
  const [user] = await deps.database.db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
      tokenVersion: users.tokenVersion,
    })
    .from(users)
    .where(eq(users.id, claims.userId))
    .limit(1);
  if (!user || user.disabledAt || user.tokenVersion !== claims.version || user.role !== claims.role) {
    return null;
  }
  const [live] = await deps.database.db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.familyId, claims.sessionId),
        eq(refreshTokens.userId, user.id),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.familyExpiresAt, deps.clock.now()),
      ),
    )
    .limit(1);
  if (!live) {
    return null;
  }
  return {
    id: user.id,
    email: user.email,
    role: claims.role,
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
    pendingTotpEnrollment: claims.pendingTotpEnrollment,
  };
}
