import type { UIMatch } from 'react-router';

/** What admin routes put in `handle`. */
export interface AdminRouteHandle {
  crumb: string;
}

export function hasCrumb(match: UIMatch): match is UIMatch<unknown, AdminRouteHandle> {
  const handle = match.handle as Partial<AdminRouteHandle> | undefined;
  return typeof handle?.crumb === 'string';
}
