import { Alert, AppShell, Container } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFlask } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Outlet, useLocation, useNavigation } from 'react-router';
import { CenteredLoader } from '../components/centered-loader';
import { useSystemInfo } from '../hooks/use-system-info';
import { AppHeader } from './app-header';
import { AppNavbar } from './app-navbar';
import classes from './root-layout.module.css';

export const MAIN_CONTENT_ID = 'main-content';

/** The contract allows demo payments in production only with a banner, so nobody takes them for real deposits. */
function ProductionDemoBanner() {
  const info = useSystemInfo();
  if (info.data?.environment !== 'production' || info.data.paymentProvider !== 'demo') {
    return null;
  }
  return (
    <Alert color="yellow" variant="light" icon={<IconFlask size={18} />} mb="lg" title="Demo payments">
      This server simulates payments: deposits and subscriptions complete instantly and no real money moves.
    </Alert>
  );
}

/** The frame around every page: header, navigation, and the outlet where routes render. */
export function RootLayout() {
  const [navbarOpened, navbar] = useDisclosure(false);
  const navigation = useNavigation();
  const { pathname } = useLocation();

  // Close the mobile drawer on any route change, including back/forward, not only on nav clicks.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the pathname is the trigger, not an input.
  useEffect(() => {
    navbar.close();
  }, [pathname, navbar.close]);

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
        <AppHeader navbarOpened={navbarOpened} onToggleNavbar={navbar.toggle} />
        <AppShell.Navbar id="app-navbar" aria-label="Main navigation">
          <AppNavbar onNavigate={navbar.close} />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} className={classes.main}>
          <Container size="lg" py="xl" px={{ base: 'md', sm: 'xl' }}>
            <ProductionDemoBanner />
            {/* Routes only "load" while a lazy chunk (the admin area) is fetched: show that instead of a frozen page. */}
            {navigation.state === 'loading' ? <CenteredLoader label="Loading page…" /> : <Outlet />}
          </Container>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
