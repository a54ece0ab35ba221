import type { LiveEvent } from '@tradepool/domain/events';
import { appCode, appErrorData } from './errors';
import type { LiveTransport, ScopeKey, StreamCallbacks } from './live-store';
import type { LiveClient } from './trpc';

/**
 * How long a stream may take to say `connected` (tRPC's first SSE frame). A proxy that buffers responses holds it back:
 * past this, SSE is given up for socket.io.
 */
export const SSE_CONNECT_TIMEOUT_MS = 5_000;
const DEADLINE_TICK_MS = 250;
/** Failed attempts in a row (no stream ever started in between) before SSE is given up. */
const MAX_FAILED_ATTEMPTS = 3;
/** The server ended the stream (token expiry, revocation, a client too slow): open it again after this. */
const REOPEN_MS = 1_000;

/** A browser that knows it is offline fails every stream: that says nothing about SSE. */
function offline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

interface Subscription {
  unsubscribe: () => void;
}

/** The tRPC subscriptions (SSE, `tracked` ids) that carry each scope; the admin room has none. */
function subscribe(
  client: LiveClient,
  scope: ScopeKey,
  lastEventId: string | null,
  observer: Parameters<LiveClient['account']['onEvents']['subscribe']>[1],
): Subscription | null {
  if (scope === 'user') {
    return client.account.onEvents.subscribe({ lastEventId }, observer);
  }
  if (scope.startsWith('pool:')) {
    return client.pools.onEvents.subscribe({ poolId: scope.slice('pool:'.length), lastEventId }, observer);
  }
  return null;
}

/**
 * tRPC subscriptions over SSE, one EventSource per scope, authenticated by the httpOnly access cookie. tRPC's link
 * reconnects on its own, resuming from the last tracked id; this adds what the store needs to know: whether the
 * stream started, whether it keeps failing (then socket.io takes over), and the refusals it cannot retry.
 *
 * At most `maxStreams` are open at once; more wait, unstarted, for one to close. Each open stream holds one of the
 * browser's six HTTP/1.1 connections to the origin: streams past that would queue every other request of the page
 * behind them, the socket.io chunk that is to take them over included.
 */
export function createSseTransport(client: LiveClient, maxStreams = Number.POSITIVE_INFINITY): LiveTransport {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    kind: 'sse',
    dispose: () => undefined,
    open(scope: ScopeKey, callbacks: StreamCallbacks) {
      let closed = false;
      let failures = 0;
      let subscription: Subscription | null = null;
      let deadline: ReturnType<typeof setInterval> | null = null;
      let reopen: ReturnType<typeof setTimeout> | null = null;

      const clearDeadline = () => {
        if (deadline) {
          clearInterval(deadline);
          deadline = null;
        }
      };
      // Counted in ticks that came on time: a page busy rendering (or a starved machine) delays the `connected` frame's
      // handling as much as a timer, and must not read as a proxy that buffers the stream.
      const armDeadline = () => {
        if (deadline) {
          return;
        }
        let waited = 0;
        let last = Date.now();
        deadline = setInterval(() => {
          const now = Date.now();
          if (now - last < DEADLINE_TICK_MS * 2) {
            waited += DEADLINE_TICK_MS;
          }
          last = now;
          if (waited >= SSE_CONNECT_TIMEOUT_MS && !closed && !offline()) {
            clearDeadline();
            callbacks.failed(`no stream started within ${SSE_CONNECT_TIMEOUT_MS} ms`);
          }
        }, DEADLINE_TICK_MS);
      };
      const failedAttempt = () => {
        callbacks.interrupted();
        if (offline()) {
          return;
        }
        failures += 1;
        if (failures >= MAX_FAILED_ATTEMPTS) {
          callbacks.failed(`${failures} attempts failed`);
        }
      };

      const start = () => {
        armDeadline();
        subscription = subscribe(client, scope, callbacks.position(), {
          onStarted: () => {
            clearDeadline();
            failures = 0;
            callbacks.started(callbacks.position() !== null);
          },
          onData: (tracked) => callbacks.event(tracked.data as LiveEvent),
          onConnectionStateChange: (state) => {
            if (closed || state.state !== 'connecting') {
              return;
            }
            armDeadline();
            if (state.error) {
              failedAttempt();
            }
          },
          onError: (error) => {
            clearDeadline();
            if (closed) {
              return;
            }
            if (appErrorData(error)?.details?.error === 'RESYNC_REQUIRED') {
              callbacks.resyncRequired();
            } else if (appCode(error) === 'UNAUTHORIZED') {
              callbacks.unauthorized();
            } else if (appCode(error) === null) {
              // Not an answer from the API (a broken stream, a proxy's error page): try again, and count it.
              failedAttempt();
              reopen = setTimeout(start, REOPEN_MS);
            }
            // Other refusals (NOT_FOUND, FORBIDDEN) will not change by asking again: the stream stays closed.
          },
          onComplete: () => {
            clearDeadline();
            if (!closed) {
              callbacks.interrupted();
              reopen = setTimeout(start, REOPEN_MS);
            }
          },
        });
      };
      // Going offline does not always end an open response (the browser may keep the connection until a read fails):
      // the stream is taken as lost at once, and resumed from the last id as soon as the browser is back online.
      const wentOffline = () => {
        if (closed || subscription === null) {
          return;
        }
        clearDeadline();
        if (reopen) {
          clearTimeout(reopen);
          reopen = null;
        }
        subscription.unsubscribe();
        subscription = null;
        callbacks.interrupted();
      };
      const backOnline = () => {
        if (!closed && subscription === null) {
          start();
        }
      };

      let began = false;
      const begin = () => {
        began = true;
        running += 1;
        window.addEventListener('offline', wentOffline);
        window.addEventListener('online', backOnline);
        start();
      };
      if (running < maxStreams) {
        begin();
      } else {
        waiting.push(begin);
      }

      return () => {
        closed = true;
        clearDeadline();
        if (reopen) {
          clearTimeout(reopen);
        }
        subscription?.unsubscribe();
        if (!began) {
          waiting.splice(waiting.indexOf(begin), 1);
          return;
        }
        window.removeEventListener('offline', wentOffline);
        window.removeEventListener('online', backOnline);
        running -= 1;
        waiting.shift()?.();
      };
    },
  };
}
