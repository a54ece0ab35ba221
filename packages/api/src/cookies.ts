import type { Context } from './context';

/** httpOnly, SameSite=Strict, scoped to /trpc: page scripts never read them and other sites never send them. */
export const REFRESH_COOKIE = 'tp_refresh';
/** The access token again, for the one place a header cannot go: EventSource (tRPC SSE subscriptions). */
export const ACCESS_COOKIE = 'tp_access';

function serialize(ctx: Context, name: string, value: string, maxAgeSec: number): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/trpc',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
  ];
  if (ctx.config.secureCookies) {
    parts.push('Secure');
  }
  return parts.join('; ');
}

export function setSessionCookies(
  ctx: Context,
  session: {
    accessToken: string;
    accessTokenExpiresAt: Date;
    refreshToken: string;
    refreshTokenExpiresAt: Date;
  },
): void {
  const now = ctx.clock.now().getTime();
  ctx.resHeaders?.append(
    'Set-Cookie',
    serialize(
      ctx,
      REFRESH_COOKIE,
      session.refreshToken,
      (session.refreshTokenExpiresAt.getTime() - now) / 1000,
    ),
  );
  ctx.resHeaders?.append(
    'Set-Cookie',
    serialize(ctx, ACCESS_COOKIE, session.accessToken, (session.accessTokenExpiresAt.getTime() - now) / 1000),
  );
}

export function clearSessionCookies(ctx: Context): void {
  ctx.resHeaders?.append('Set-Cookie', serialize(ctx, REFRESH_COOKIE, '', 0));
  ctx.resHeaders?.append('Set-Cookie', serialize(ctx, ACCESS_COOKIE, '', 0));
}

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      const name = part.slice(0, eq).trim();
      try {
        cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // A malformed cookie is ignored rather than failing the whole request.
      }
    }
  }
  return cookies;
}
