import type { Database } from '@tradepool/db';
import { and, eq, exists, gt, isNull, sql } from 'drizzle-orm';
import type { Role, ServiceDeps, SessionUser } from '../../context';

// A type, not an interface: drizzle's execute() takes a Record<string, unknown>.
type LiveSessionParams = {
  userId: string;
  version: number;
  role: Role;
  sessionId: string;
  /** The instant as the driver binds it (ISO string on Postgres, milliseconds on SQLite). */
  now: unknown;
};

type LiveSessionStatement = { execute(params: LiveSessionParams): PromiseLike<{ email: string }[]> };

const liveSessionStatements = new WeakMap<Database, LiveSessionStatement>();

/**
 * The user's e-mail if the token's user and session are still good, in one statement prepared once per database:
 * every authenticated request runs it, and two statements built anew per request cost a tenth of a pools.list
 * (docs/performance.md).
 */
function liveSession(database: Database): LiveSessionStatement {
  const known = liveSessionStatements.get(database);
  if (known) {
    return known;
  }
  const { users, refreshTokens } = database.schema;
  const statement: LiveSessionStatement = database.db
    .select({ email: users.email })
    .from(users)
    .where(
      and(
        eq(users.id, sql.placeholder('userId')),
        isNull(users.disabledAt),
        eq(users.tokenVersion, sql.placeholder('version')),
        eq(users.role, sql.placeholder('role')),
        exists(
          database.db
            .select({ one: sql`1` })
            .from(refreshTokens)
            .where(
              and(
                eq(refreshTokens.familyId, sql.placeholder('sessionId')),
                eq(refreshTokens.userId, sql.placeholder('userId')),
                isNull(refreshTokens.revokedAt),
                gt(refreshTokens.familyExpiresAt, sql.placeholder('now')),
              ),
            ),
        ),
      ),
    )
    .limit(1)
    .prepare('auth_live_session');
  liveSessionStatements.set(database, statement);
  return statement;
}

/**
 * Resolves an access token to its user, checking what a signature alone cannot: the account still exists and is
 * enabled, the token predates no password/role change (tokenVersion), and its session has not been revoked. Those
 * are read from the database on every call (nothing about them is cached), so a revocation committed by any process
 * refuses the next request everywhere.
 */
export async function authenticate(deps: ServiceDeps, token: string): Promise<SessionUser | null> {
  const claims = await deps.tokens.verify(token);
  if (!claims) {
    return null;
  }
  const { refreshTokens } = deps.database.schema;
  const [user] = await liveSession(deps.database).execute({
    userId: claims.userId,
    version: claims.version,
    role: claims.role,
    sessionId: claims.sessionId,
    now: refreshTokens.familyExpiresAt.mapToDriverValue(deps.clock.now()),
  });
  if (!user) {
    return null;
  }
  return {
    id: claims.userId,
    email: user.email,
    role: claims.role,
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
    pendingTotpEnrollment: claims.pendingTotpEnrollment,
  };
}
