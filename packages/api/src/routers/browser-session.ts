import type { BrowserSessionView } from '@tradepool/domain';
import type { Context } from '../context';
import { setSessionCookies } from '../cookies';
import type { IssuedSession } from '../services/auth/issue-session';

/** What the SPA gets for a new or refreshed session: the refresh token goes into the httpOnly cookie, not the body. */
export function browserSession(ctx: Context, session: IssuedSession): BrowserSessionView {
  setSessionCookies(ctx, session);
  return {
    user: session.user,
    accessToken: session.accessToken,
    accessTokenExpiresAt: session.accessTokenExpiresAt.toISOString(),
    totpEnrollmentRequired:
      ctx.config.requireAdmin2fa && session.user.role !== 'INVESTOR' && !session.user.totpEnabled,
  };
}
