import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';

import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import classes from './app.module.css';
import { sessionStore } from './auth/session-store';
import { AppErrorBoundary } from './components/app-error-boundary';
import { createQueryClient, createTrpcClient, trpc } from './lib/trpc';
import { router } from './router';
import { theme } from './theme';

/** Keeps the person's light/dark/system choice across visits, under a key of our own rather than Mantine's default. */
const colorSchemeManager = localStorageColorSchemeManager({ key: 'tradepool-color-scheme' });

export function App() {
  // One client per app instance, created once: module-level singletons would leak cache between tests and HMR reloads.
  const [queryClient] = useState(createQueryClient);
  // A request refused for an expired token is retried once after a silent refresh; the session ends if that fails.
  const [trpcClient] = useState(() =>
    createTrpcClient({ onUnauthorized: () => sessionStore.recover('expired') }),
  );

  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      <AppErrorBoundary>
        <trpc.Provider client={trpcClient} queryClient={queryClient}>
          <QueryClientProvider client={queryClient}>
            <DatesProvider settings={{ locale: 'en', firstDayOfWeek: 1, weekendDays: [0, 6] }}>
              <ModalsProvider>
                {/* Bottom right: never over the header, a page's title or action buttons, or a dialog's close button. */}
                <Notifications
                  position="bottom-right"
                  limit={3}
                  classNames={{ root: classes.notifications }}
                />
                <RouterProvider router={router} />
              </ModalsProvider>
            </DatesProvider>
          </QueryClientProvider>
        </trpc.Provider>
      </AppErrorBoundary>
    </MantineProvider>
  );
}
