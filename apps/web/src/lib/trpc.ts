import { QueryClient } from '@tanstack/react-query';
import type { AppRouter } from '@tradepool/api';
import { httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { getAccessToken } from './auth-token';
import { httpStatus } from './errors';

export const trpc = createTRPCReact<AppRouter>();

/** Same origin in production and, through the Vite proxy, in development: no CORS, cookies just work. */
const TRPC_URL = '/trpc';

/** Refusals (4xx) will not change by asking again; network faults and 5xx might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== null && status >= 400 && status < 500) {
    return false;
  }
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(1_000 * 2 ** attempt, 10_000),
      },
      mutations: {
        // A retried mutation could move money twice; forms retry by hand, with an idempotency key.
        retry: false,
      },
    },
  });
}

export function createTrpcClient() {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // SSE authenticates with the httpOnly cookie the server sets beside the access token: EventSource cannot send
        // headers, and a token in the URL would end up in logs.
        true: httpSubscriptionLink({ url: TRPC_URL, eventSourceOptions: { withCredentials: true } }),
        false: httpBatchLink({
          url: TRPC_URL,
          maxURLLength: 2_000,
          fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
          headers: () => {
            const token = getAccessToken();
            return token ? { authorization: `Bearer ${token}` } : {};
          },
        }),
      }),
    ],
  });
}
