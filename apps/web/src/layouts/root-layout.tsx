import { Alert, AppShell, Container } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFlask } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation, useNavigation } from 'react-router';
import { useAuth } from '../auth/auth-provider';
import { currentPath, withNext } from '../auth/next-path';
import { CenteredLoader } from '../components/centered-loader';
import { SessionPending } from '../components/session-pending';
import { useOwnMoneyToasts } from '../hooks/use-money-toasts';
import { useSystemInfo } from '../hooks/use-system-info';
import { AppHeader } from './app-header';
import { AppNavbar } from './app-navbar';
import classes from './root-layout.module.css';
import { UserMenu } from './user-menu';

export const MAIN_CONTENT_ID = 'main-content';

/** The contract allows demo payments in production only with a banner, so nobody takes them for real deposits. */
function ProductionDemoBanner() {
  const info = useSystemInfo();
  if (info.data?.environment !== 'production' || info.data.paymentProvider !== 'demo') {
    return null;
  }
  return (
    <Alert color="yellow" icon={<IconFlask size={18} />} mb="lg" title="Demo payments">
      This server simulates payments: deposits and subscriptions complete instantly and no real money moves.
    </Alert>
  );
}

/**
 * The frame around every page but the sign-in ones: header, navigation, and the outlet where routes render. Until
 * the session is known the outlet shows a loader, so neither a signed-in person nor a guarded page flashes by.
 */
export function RootLayout() {
  const [navbarOpened, navbar] = useDisclosure(false);
  const navigation = useNavigation();
  const location = useLocation();
  const { pathname } = location;
  const { state } = useAuth();
  useOwnMoneyToasts();

  // Close the mobile drawer on any route change, including back/forward, not only on nav clicks.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the pathname is the trigger, not an input.
  useEffect(() => {
    navbar.close();
  }, [pathname, navbar.close]);

  // An ADMIN or MANAGER who owes a 2FA enrolment goes nowhere else until it is done.
  if (state.status === 'signed-in' && state.totpEnrollmentRequired) {
    return <Navigate to={withNext('/setup-2fa', currentPath(location))} replace />;
  }

  return (
    <>
      <a href={`#${MAIN_CONTENT_ID}`} className={classes.skipLink}>
        Skip to main content
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }}
        padding={0}
      >
        <AppHeader
          navbarOpened={navbarOpened}
          onToggleNavbar={navbar.toggle}
          userMenu={<UserMenu />}
          live={state.status === 'signed-in'}
        />
        <AppShell.Navbar id="app-navbar" aria-label="Main navigation">
          <AppNavbar onNavigate={navbar.close} />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} className={classes.main}>
          <Container size="lg" py="xl" px={{ base: 'md', sm: 'xl' }}>
            <ProductionDemoBanner />
            {/* Routes only "load" while a lazy chunk (the admin area) is fetched: show that instead of a frozen page. */}
            <SessionPending>
              {navigation.state === 'loading' ? <CenteredLoader label="Loading page…" /> : <Outlet />}
            </SessionPending>
          </Container>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
