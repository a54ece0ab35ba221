import { notifications } from '@mantine/notifications';
import { IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
} from 'react';
import { Outlet, useNavigate } from 'react-router';
import { connectRealtime } from '../lib/realtime';
import {
  type BrowserSession,
  type EndReason,
  type SessionState,
  type SessionUser,
  sessionStore,
} from './session-store';

interface AuthContextValue {
  state: SessionState;
  /** The signed-in user, also during mandatory 2FA enrolment; null otherwise. */
  user: SessionUser | null;
  /** Store the session a sign-in or sign-up answered with. */
  signedIn: (session: BrowserSession) => void;
  updateUser: (user: SessionUser) => void;
  /** A fresh access token (after 2FA enrolment it is a complete one); false when the session is over. */
  refresh: () => Promise<boolean>;
  /** Ends the session here and on the server, clears cached data, and goes to /sign-in. */
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const END_MESSAGES: Partial<Record<EndReason, { title: string; message: string }>> = {
  'signed-out-elsewhere': {
    title: 'Signed out',
    message: 'You signed out in another tab.',
  },
  expired: {
    title: 'Session expired',
    message: 'Your session has ended. Sign in again to continue.',
  },
  revoked: {
    title: 'You were signed out',
    message:
      'This session was ended: it was signed out from another device, or your password or role changed. Sign in again to continue.',
  },
};

export function AuthProvider({ children }: { children: ReactNode }) {
  const state = useSyncExternalStore(sessionStore.subscribe, sessionStore.getState);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  useEffect(() => {
    sessionStore.start();
  }, []);

  useEffect(
    () =>
      connectRealtime({
        onTokenRejected: () => {
          void sessionStore.recover('expired');
        },
        onRevoked: () => {
          // Another tab of this browser may have just changed the password (the cookie is already the new one): only
          // sign out here when renewing fails.
          void sessionStore.recover('revoked');
        },
      }),
    [],
  );

  useEffect(
    () =>
      sessionStore.onEnd((reason) => {
        const text = END_MESSAGES[reason];
        if (text) {
          notifications.show({
            id: 'session-ended',
            color: reason === 'revoked' ? 'orange' : 'blue',
            icon: <IconLogout size={18} />,
            autoClose: 10_000,
            ...text,
          });
        }
      }),
    [],
  );

  // Cached answers belong to the person who asked: drop them all when that person changes or leaves.
  const userId = state.status === 'signed-in' ? state.user.id : null;
  const previousUserId = useRef(userId);
  useEffect(() => {
    if (previousUserId.current !== null && previousUserId.current !== userId) {
      queryClient.clear();
    }
    previousUserId.current = userId;
  }, [userId, queryClient]);

  const signOut = useCallback(async () => {
    await sessionStore.signOut();
    await navigate('/sign-in', { replace: true });
  }, [navigate]);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      user: state.status === 'signed-in' ? state.user : null,
      signedIn: (session) => sessionStore.signedIn(session),
      updateUser: (user) => sessionStore.updateUser(user),
      refresh: () => sessionStore.refresh(),
      signOut,
    }),
    [state, signOut],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The router's root element: auth needs `useNavigate`, so it lives inside the router, around every route. */
export function AuthRoot() {
  return (
    <AuthProvider>
      <Outlet />
    </AuthProvider>
  );
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return value;
}
