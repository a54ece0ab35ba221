import { createBrowserRouter, type RouteObject } from 'react-router';
import type { AdminRouteHandle } from './admin/route-handle';
import { AuthRoot } from './auth/auth-provider';
import { GuestOnly, RequireAuth } from './auth/guards';
import { ADMIN_AREA_ROLES, ADMIN_ONLY } from './auth/roles';
import { CenteredLoader } from './components/centered-loader';
import { AuthLayout } from './layouts/auth-layout';
import { RootLayout } from './layouts/root-layout';
import { AccountPage } from './pages/account/account-page';
import { SetupTwoFactorPage } from './pages/auth/setup-two-factor-page';
import { SignInPage } from './pages/auth/sign-in-page';
import { SignUpPage } from './pages/auth/sign-up-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
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
  {
    element: <RequireAuth roles={ADMIN_ONLY} />,
    children: [
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
            children: [
              { path: 'sign-in', element: <SignInPage /> },
              { path: 'sign-up', element: <SignUpPage /> },
            ],
          },
          { path: 'setup-2fa', element: <SetupTwoFactorPage /> },
        ],
      },
      {
        element: <RootLayout />,
        errorElement: <RouteErrorPage fullPage />,
        children: [
          {
            errorElement: <RouteErrorPage />,
            children: [
              // Public: what Tradepool is, for visitors and members alike.
              { index: true, element: <OverviewPage /> },
              {
                element: <RequireAuth />,
                children: [{ path: 'account', element: <AccountPage /> }],
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
