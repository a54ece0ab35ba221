import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { CenteredLoader } from '../components/centered-loader';
import { ForbiddenPage } from '../pages/forbidden-page';
import { useAuth } from './auth-provider';
import { currentPath, homePathFor, safeNextPath, withNext } from './next-path';
import type { Role } from './session-store';

interface RequireAuthProps {
  /** Roles that may see the routes below; any signed-in person when omitted. Others get a 403 page. */
  roles?: readonly Role[];
}

/**
 * A layout route around pages that need a session: signed-out people go to /sign-in (and come back afterwards),
 * people who owe a 2FA enrolment go to /setup-2fa, the wrong role sees a 403. The server enforces all of this too;
 * this only spares people a page of errors.
 */
export function RequireAuth({ roles }: RequireAuthProps) {
  const { state } = useAuth();
  const location = useLocation();
  const here = currentPath(location);

  if (state.status === 'restoring' || state.status === 'unreachable') {
    return <CenteredLoader label="Restoring your session…" />;
  }
  if (state.status === 'signed-out') {
    return <Navigate to={withNext('/sign-in', here)} replace />;
  }
  if (state.totpEnrollmentRequired) {
    return <Navigate to={withNext('/setup-2fa', here)} replace />;
  }
  if (roles && !roles.includes(state.user.role)) {
    return <ForbiddenPage />;
  }
  return <Outlet />;
}

/** Sign-in and sign-up: someone already signed in goes on to where they were headed. */
export function GuestOnly() {
  const { state } = useAuth();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));

  if (state.status === 'signed-in') {
    if (state.totpEnrollmentRequired) {
      return <Navigate to={withNext('/setup-2fa', next)} replace />;
    }
    return <Navigate to={next ?? homePathFor(state.user.role)} replace />;
  }
  return <Outlet />;
}
