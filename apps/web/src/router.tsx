import { createBrowserRouter, type RouteObject } from 'react-router';
import type { AdminRouteHandle } from './admin/route-handle';
import { AuthRoot } from './auth/auth-provider';
import { GuestOnly, RequireAuth } from './auth/guards';
import { ADMIN_AREA_ROLES, ADMIN_ONLY } from './auth/roles';
import { CenteredLoader } from './components/centered-loader';
import { AuthLayout } from './layouts/auth-layout';
import { RootLayout } from './layouts/root-layout';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';
import { RouteErrorPage } from './pages/route-error-page';

/**
 * Admin routes are declared here but their components are imported on demand, so the admin code ships in its own
 * chunks and an investor's browser never downloads it. A new admin page: one entry below (with its `handle.crumb`),
 * inside the guard for the roles it needs, and one item in layouts/nav-config.ts.
 */
const adminRoutes: RouteObject[] = [
  {
    index: true,
    handle: { crumb: 'Overview' } satisfies AdminRouteHandle,
    lazy: async () => ({ Component: (await import('./admin/pages/admin-overview-page')).AdminOverviewPage }),
  },
  // Managers run pools: the whole admin area's roles.
  {
    path: 'pools',
    handle: { crumb: 'Pools' } satisfies AdminRouteHandle,
    lazy: async () => ({ Component: (await import('./admin/pages/admin-pools-page')).AdminPoolsPage }),
  },
  {
    element: <RequireAuth roles={ADMIN_ONLY} />,
    children: [
      {
        path: 'integrations',
        handle: { crumb: 'Integrations' } satisfies AdminRouteHandle,
        lazy: async () => ({
          Component: (await import('./admin/pages/admin-integrations-page')).AdminIntegrationsPage,
        }),
      },
      {
        path: 'users',
        handle: { crumb: 'Users' } satisfies AdminRouteHandle,
        lazy: async () => ({ Component: (await import('./admin/pages/admin-users-page')).AdminUsersPage }),
      },
      {
        path: 'audit',
        handle: { crumb: 'Audit log' } satisfies AdminRouteHandle,
        lazy: async () => ({ Component: (await import('./admin/pages/admin-audit-page')).AdminAuditPage }),
      },
      {
        path: 'withdrawals',
        handle: { crumb: 'Withdrawals' } satisfies AdminRouteHandle,
        lazy: async () => ({
          Component: (await import('./admin/pages/admin-withdrawals-page')).AdminWithdrawalsPage,
        }),
      },
      {
        path: 'ledger',
        handle: { crumb: 'Ledger' } satisfies AdminRouteHandle,
        lazy: async () => ({ Component: (await import('./admin/pages/admin-ledger-page')).AdminLedgerPage }),
      },
      {
        path: 'mail',
        handle: { crumb: 'Mail outbox' } satisfies AdminRouteHandle,
        lazy: async () => ({ Component: (await import('./admin/pages/admin-mail-page')).AdminMailPage }),
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
];

export const routes: RouteObject[] = [
  {
    // Session state for every route; it needs the router (to navigate on sign-out), so it is the root route.
    element: <AuthRoot />,
    // Only reached when the shell itself fails; page failures stop at the inner boundaries and keep the frame.
    errorElement: <RouteErrorPage fullPage />,
    children: [
      {
        element: <AuthLayout />,
        errorElement: <RouteErrorPage fullPage />,
        children: [
          {
            element: <GuestOnly />,
            // Forms (and @mantine/form) load with the page that shows them: a signed-in investor never needs them.
            children: [
              {
                path: 'sign-in',
                lazy: async () => ({ Component: (await import('./pages/auth/sign-in-page')).SignInPage }),
                hydrateFallbackElement: <CenteredLoader label="Loading…" />,
              },
              {
                path: 'sign-up',
                lazy: async () => ({ Component: (await import('./pages/auth/sign-up-page')).SignUpPage }),
                hydrateFallbackElement: <CenteredLoader label="Loading…" />,
              },
            ],
          },
          {
            path: 'setup-2fa',
            lazy: async () => ({
              Component: (await import('./pages/auth/setup-two-factor-page')).SetupTwoFactorPage,
            }),
            hydrateFallbackElement: <CenteredLoader label="Loading…" />,
          },
        ],
      },
      {
        element: <RootLayout />,
        errorElement: <RouteErrorPage fullPage />,
        children: [
          {
            errorElement: <RouteErrorPage />,
            children: [
              // Public: what Tradepool is, for visitors; signed-in people get their live dashboard here instead.
              { index: true, element: <HomePage /> },
              {
                element: <RequireAuth />,
                children: [
                  {
                    path: 'account',
                    lazy: async () => ({
                      Component: (await import('./pages/account/account-page')).AccountPage,
                    }),
                    hydrateFallbackElement: <CenteredLoader label="Loading your account…" />,
                  },
                  // Pool pages carry the charts (recharts): their own chunks, fetched when a pool page is opened.
                  {
                    path: 'pools',
                    lazy: async () => ({ Component: (await import('./pages/pools/pools-page')).PoolsPage }),
                    hydrateFallbackElement: <CenteredLoader label="Loading pools…" />,
                  },
                  {
                    path: 'pools/:poolId',
                    lazy: async () => ({ Component: (await import('./pages/pools/pool-page')).PoolPage }),
                    hydrateFallbackElement: <CenteredLoader label="Loading the pool…" />,
                  },
                  // Money pages: their own chunks too (the portfolio's chart).
                  {
                    path: 'portfolio',
                    lazy: async () => ({
                      Component: (await import('./pages/money/portfolio-page')).PortfolioPage,
                    }),
                    hydrateFallbackElement: <CenteredLoader label="Loading your portfolio…" />,
                  },
                  {
                    path: 'wallet',
                    lazy: async () => ({ Component: (await import('./pages/money/wallet-page')).WalletPage }),
                    hydrateFallbackElement: <CenteredLoader label="Loading your wallet…" />,
                  },
                  {
                    path: 'withdrawals',
                    lazy: async () => ({
                      Component: (await import('./pages/money/withdrawals-page')).WithdrawalsPage,
                    }),
                    hydrateFallbackElement: <CenteredLoader label="Loading your withdrawals…" />,
                  },
                  {
                    path: 'subscription',
                    lazy: async () => ({
                      Component: (await import('./pages/money/subscription-page')).SubscriptionPage,
                    }),
                    hydrateFallbackElement: <CenteredLoader label="Loading your subscription…" />,
                  },
                ],
              },
              {
                element: <RequireAuth roles={ADMIN_AREA_ROLES} />,
                children: [
                  {
                    path: 'admin',
                    handle: { crumb: 'Administration' } satisfies AdminRouteHandle,
                    lazy: async () => ({ Component: (await import('./admin/admin-layout')).AdminLayout }),
                    // Shown inside the shell when the app is opened directly on an /admin URL, while its chunk loads.
                    hydrateFallbackElement: <CenteredLoader label="Loading administration…" />,
                    children: adminRoutes,
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
