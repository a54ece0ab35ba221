import type { User } from '@tradepool/db';
import type { UserView } from '@tradepool/domain';
import type { ServiceDeps, SessionUser } from '../../context';
import { publicUser } from './users';

export interface IssuedSession {
  user: UserView;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
}

function needsTotpEnrollment(deps: ServiceDeps, user: User): boolean {
  return (
    deps.config.requireAdmin2fa &&
    (user.role === 'ADMIN' || user.role === 'MANAGER') &&
    user.totpEnabledAt === null
  );
}

export function actorOf(user: Pick<User, 'id' | 'email'>) {
  return { id: user.id, email: user.email };
}

async function issueAccess(deps: ServiceDeps, user: User, sessionId: string) {
  return deps.tokens.issue({
    userId: user.id,
    role: user.role as SessionUser['role'],
    sessionId,
    version: user.tokenVersion,
    pendingTotpEnrollment: needsTotpEnrollment(deps, user),
  });
}

export async function sessionFor(
  deps: ServiceDeps,
  user: User,
  refresh: { token: string; sessionId: string; expiresAt: Date },
): Promise<IssuedSession> {
  const access = await issueAccess(deps, user, refresh.sessionId);
  return {
    user: publicUser(user, deps.clock),
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt,
    sessionId: refresh.sessionId,
  };
}
