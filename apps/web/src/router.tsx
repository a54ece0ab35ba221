import { createBrowserRouter, type RouteObject } from 'react-router';
import type { AdminRouteHandle } from './admin/route-handle';
import { CenteredLoader } from './components/centered-loader';
import { RootLayout } from './layouts/root-layout';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { RouteErrorPage } from './pages/route-error-page';

/**
 * Admin routes are declared here but their components are imported on demand, so the admin code ships in its own
 * chunks and an investor's browser never downloads it. A new admin page: one entry below (with its `handle.crumb`)
 * and one item in layouts/nav-config.ts.
 */
const adminRoutes: RouteObject[] = [
  {
    index: true,
    handle: { crumb: 'Overview' } satisfies AdminRouteHandle,
    lazy: async () => ({ Component: (await import('./admin/pages/admin-overview-page')).AdminOverviewPage }),
  },
  { path: '*', element: <NotFoundPage /> },
];

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    // Only reached when the shell itself fails; page failures stop at the inner boundary and keep the navigation.
    errorElement: <RouteErrorPage fullPage />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <OverviewPage /> },
          {
            path: 'admin',
            handle: { crumb: 'Administration' } satisfies AdminRouteHandle,
            lazy: async () => ({ Component: (await import('./admin/admin-layout')).AdminLayout }),
            // Shown inside the shell when the app is opened directly on an /admin URL, while its chunk loads.
            hydrateFallbackElement: <CenteredLoader label="Loading administration…" />,
            children: adminRoutes,
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
