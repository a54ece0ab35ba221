import { ADMIN_AREA_ROLES } from './roles';
import type { Role } from './session-store';

/**
 * Where someone lands after signing in when no `next` says otherwise: staff on the admin overview (the investor
 * dashboard would greet them with an inactive subscription), investors on their dashboard.
 */
export function homePathFor(role: Role): string {
  return ADMIN_AREA_ROLES.includes(role) ? '/admin' : '/';
}

/** Pages that make no sense to return to after signing in. */
const AUTH_PAGES = ['/sign-in', '/sign-up', '/setup-2fa'];

/**
 * The `next` query parameter, if it is a path on this site. Anything else (`//evil.example`, `https://…`,
 * `/\evil.example`) is dropped, so a crafted sign-in link cannot send someone elsewhere after they sign in.
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return null;
  }
  if (AUTH_PAGES.some((page) => raw === page || raw.startsWith(`${page}?`) || raw.startsWith(`${page}/`))) {
    return null;
  }
  return raw;
}

/** `path` with `?next=` set, or without it when there is nowhere worth returning to. */
export function withNext(path: string, next: string | null | undefined): string {
  const safe = safeNextPath(next);
  return safe && safe !== '/' ? `${path}?next=${encodeURIComponent(safe)}` : path;
}

/** Where a location is, as a `next` value. */
export function currentPath(location: { pathname: string; search: string; hash: string }): string {
  return `${location.pathname}${location.search}${location.hash}`;
}
