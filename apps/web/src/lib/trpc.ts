import { QueryClient } from '@tanstack/react-query';
import type { AppRouter } from '@tradepool/api';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCLink,
} from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { observable } from '@trpc/server/observable';
import { getAccessToken } from './auth-token';
import { appCode, httpStatus } from './errors';
import { idempotencyKeyOf } from './idempotency';

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

const withCredentials: typeof fetch = (input, init) => fetch(input, { ...init, credentials: 'include' });

function authorizationHeader(): Record<string, string> {
  const token = getAccessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * Recovers from an expired access token: an operation refused with UNAUTHORIZED is sent once more after
 * `onUnauthorized` has obtained a new token, and fails as it did when that is not possible (the session is over).
 * `session.*` is left alone: its UNAUTHORIZED means "wrong password" or "no session", not "token expired".
 */
function refreshOnUnauthorizedLink(onUnauthorized: () => Promise<boolean>): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const sentWithToken = getAccessToken() !== null;
        let subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            const retryable =
              op.type !== 'subscription' &&
              sentWithToken &&
              !op.path.startsWith('session.') &&
              appCode(error) === 'UNAUTHORIZED';
            if (!retryable) {
              observer.error(error);
              return;
            }
            onUnauthorized().then(
              (renewed) => {
                if (renewed) {
                  subscription = next(op).subscribe(observer);
                } else {
                  observer.error(error);
                }
              },
              () => observer.error(error),
            );
          },
        });
        return () => subscription.unsubscribe();
      });
}

interface TrpcClientOptions {
  /** Called when a request is refused with UNAUTHORIZED; resolves true when a fresh access token is in place. */
  onUnauthorized: () => Promise<boolean>;
}

export function createTrpcClient({ onUnauthorized }: TrpcClientOptions) {
  return trpc.createClient({
    links: [
      refreshOnUnauthorizedLink(onUnauthorized),
      splitLink({
        // A call that carries an Idempotency-Key travels alone: headers belong to a request, not to one call of
        // a batch, and two money movements must never share (or lose) a key.
        condition: (op) => idempotencyKeyOf(op.context) !== null,
        true: httpBatchLink({
          url: TRPC_URL,
          maxItems: 1,
          fetch: withCredentials,
          headers: ({ opList }) => {
            const key = idempotencyKeyOf(opList[0].context);
            return key ? { ...authorizationHeader(), 'idempotency-key': key } : authorizationHeader();
          },
        }),
        false: httpBatchLink({
          url: TRPC_URL,
          // The server refuses a batch of more than 10 calls (CONTRACT §8): bigger bursts go as several requests.
          maxItems: 10,
          maxURLLength: 2_000,
          fetch: withCredentials,
          headers: authorizationHeader,
        }),
      }),
    ],
  });
}

/**
 * A plain client for the session procedures (refresh, sign-out, password change), used outside React by the session
 * store. One call per request (`maxItems: 1`): a refresh must not wait for, or share a request with, the calls it is
 * about to unblock. Batch framing all the same, because the server refuses an unbatched POST without input (void
 * input, empty body: "Unexpected end of JSON input").
 */
export function createSessionClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: TRPC_URL, maxItems: 1, fetch: withCredentials, headers: authorizationHeader }),
    ],
  });
}

export type SessionClient = ReturnType<typeof createSessionClient>;

/**
 * The client of the live streams (lib/live-sse.ts): tRPC subscriptions over SSE, which authenticate with the httpOnly
 * cookie the server sets beside the access token (EventSource cannot send headers, and a token in the URL would end up
 * in logs). Every live event goes through lib/live-store.ts, not through React Query.
 */
export function createLiveClient() {
  return createTRPCClient<AppRouter>({
    links: [httpSubscriptionLink({ url: TRPC_URL, eventSourceOptions: { withCredentials: true } })],
  });
}

export type LiveClient = ReturnType<typeof createLiveClient>;
