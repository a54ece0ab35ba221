import {
  isPoolEventType,
  type LiveEvent,
  type LiveEventType,
  type UserEventType,
} from '@tradepool/domain/events';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getAccessToken, subscribeAccessToken } from './auth-token';
import { createSseTransport } from './live-sse';
import { ADMIN_SCOPE, LiveStore, type ScopeKey, type TransportKind, USER_SCOPE } from './live-store';
import { createLiveClient } from './trpc';

export type { LiveEvent, LiveEventType } from '@tradepool/domain/events';

/**
 * Streams one tab may hold over SSE: each is an HTTP/1.1 connection, and a browser opens at most six per origin, across
 * its tabs, requests included. Past this (a list of pools, the admin room), socket.io carries them all on one socket.
 */
const MAX_SSE_STREAMS = 2;
/** After SSE failed, socket.io carries everything for this long before SSE is tried again. */
const SSE_RETRY_AFTER_MS = 5 * 60_000;
/** Watch changes within this window (a page leaving, the next arriving) make one decision. */
const DECIDE_DELAY_MS = 100;

interface RealtimeHandlers {
  /** The server refused the handshake, or told us the token expired: renew it (the socket follows the new token). */
  onTokenRejected: () => void;
  /** The server ended the session behind the stream. */
  onRevoked: () => void;
}

let handlers: RealtimeHandlers | null = null;
/** When streams were last refused for the session (UNAUTHORIZED): renewals they asked for. */
let refusals: number[] = [];
const MAX_REFUSALS = 3;
const REFUSAL_WINDOW_MS = 10 * 60_000;
let sseFailedAt = Number.NEGATIVE_INFINITY;
let deciding: ReturnType<typeof setTimeout> | null = null;
/** The transport being switched to (socket.io loads first). */
let switchingTo: TransportKind | null = null;

/** Every live event of the app goes through this one store (lib/live-store.ts), whichever path carries it. */
export const liveStore = new LiveStore({
  onTransportFailed: (kind) => {
    if (kind === 'sse') {
      sseFailedAt = Date.now();
      decide();
    }
  },
  onUnauthorized: () => {
    // Several streams refused at once ask once; and a session whose renewed tokens are refused as well (a missing
    // cookie) stops asking instead of renewing in a loop.
    const now = Date.now();
    const recent = refusals.filter((at) => now - at < REFUSAL_WINDOW_MS);
    if (recent.length < MAX_REFUSALS && !recent.some((at) => now - at < 1_000)) {
      recent.push(now);
      handlers?.onRevoked();
    }
    refusals = recent;
  },
});

function wantedTransport(): TransportKind {
  const watched = liveStore.watched;
  const fits = !watched.includes(ADMIN_SCOPE) && watched.length <= MAX_SSE_STREAMS;
  return fits && !sseFailedRecently() ? 'sse' : 'socket.io';
}

function sseFailedRecently(): boolean {
  return Date.now() - sseFailedAt < SSE_RETRY_AFTER_MS;
}

/** Puts the streams on the transport they should use now (SSE unless it failed or cannot hold them). */
function decide(): void {
  if (deciding) {
    clearTimeout(deciding);
    deciding = null;
  }
  if (!handlers || getAccessToken() === null) {
    liveStore.setTransport(null);
    return;
  }
  const wanted = wantedTransport();
  if (wanted === (switchingTo ?? liveStore.transportKind)) {
    return;
  }
  switchingTo = wanted;
  if (wanted === 'sse') {
    switchingTo = null;
    liveStore.setTransport(createSseTransport(createLiveClient(), MAX_SSE_STREAMS));
    return;
  }
  const session = handlers;
  import('./live-socket').then(
    ({ createSocketTransport }) => {
      if (switchingTo !== 'socket.io' || handlers !== session) {
        return;
      }
      switchingTo = null;
      liveStore.setTransport(
        createSocketTransport({
          token: getAccessToken,
          followToken: subscribeAccessToken,
          onTokenRejected: session.onTokenRejected,
          onRevoked: session.onRevoked,
        }),
      );
    },
    () => {
      // The chunk did not load (offline, a new deployment): the next watch change or token asks again.
      switchingTo = null;
    },
  );
}

function decideSoon(): void {
  deciding ??= setTimeout(decide, DECIDE_DELAY_MS);
}

/**
 * Keeps the live streams in step with the access token: open while there is one (the person's own events always),
 * reopened with each new one (SSE authenticates with the cookie renewed beside it; socket.io reconnects with it),
 * closed on sign-out. Returns the cleanup.
 */
export function connectRealtime(next: RealtimeHandlers): () => void {
  handlers = next;
  let token = getAccessToken();
  const stopWatchingUser = liveStore.watch(USER_SCOPE, { onEvent: () => undefined });
  let watchedCount = liveStore.watched.length;
  const stopWatchingDemand = liveStore.subscribe(() => {
    if (liveStore.watched.length !== watchedCount) {
      watchedCount = liveStore.watched.length;
      decideSoon();
    }
  });
  const stopFollowing = subscribeAccessToken((current) => {
    const previous = token;
    token = current;
    if (current === null) {
      liveStore.setTransport(null);
      liveStore.forgetPositions();
    } else if (previous === null || liveStore.transportKind === null) {
      decide();
    } else if (liveStore.transportKind === 'sse') {
      liveStore.reopen();
    }
  });
  decide();
  return () => {
    stopFollowing();
    stopWatchingDemand();
    stopWatchingUser();
    handlers = null;
    switchingTo = null;
    decide();
  };
}

/**
 * `offline`: not meant to be connected (signed out). `connecting`: first attempt. `connected`: live.
 * `reconnecting`: it was live and is trying again (network loss, server restart, token renewal).
 */
export type RealtimeStatus = 'offline' | 'connecting' | 'connected' | 'reconnecting';

const subscribeStore = (listener: () => void) => liveStore.subscribe(listener);

/** The person's own stream is always open while signed in: its state is the connection's. */
function currentStatus(): RealtimeStatus {
  if (liveStore.transportKind === null) {
    return 'offline';
  }
  switch (liveStore.stateOf(USER_SCOPE)) {
    case 'live':
      return 'connected';
    case 'interrupted':
      return 'reconnecting';
    default:
      return 'connecting';
  }
}

/** The live connection's state, for the header's indicator and for pages that want to say their data is live. */
export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(subscribeStore, currentStatus);
}

/**
 * Which path carries the events: SSE (tRPC subscriptions), or socket.io because SSE failed (`fallback`) or because it
 * cannot hold this many streams (`capacity`).
 */
export type LivePath = { kind: 'sse' } | { kind: 'socket.io'; reason: 'fallback' | 'capacity' } | null;

let lastPath: LivePath = null;

function currentPath(): LivePath {
  const kind = liveStore.transportKind;
  let next: LivePath = null;
  if (kind === 'sse') {
    next = { kind };
  } else if (kind === 'socket.io') {
    next = { kind, reason: sseFailedRecently() ? 'fallback' : 'capacity' };
  }
  const same =
    next?.kind === lastPath?.kind &&
    (next?.kind !== 'socket.io' || lastPath?.kind !== 'socket.io' || next.reason === lastPath.reason);
  if (!same) {
    lastPath = next;
  }
  return lastPath;
}

export function useLivePath(): LivePath {
  return useSyncExternalStore(subscribeStore, currentPath);
}

/**
 * Listens to one event type while the component is mounted: the person's own events (`wallet:update`, …), or, for a
 * pool event type, every pool's (the admin room, staff only). The handler may change between renders without
 * re-subscribing.
 */
export function useRealtimeEvent(
  type: LiveEventType,
  handler: (event: LiveEvent) => void,
  onResync?: () => void,
): void {
  const latest = useRef({ handler, onResync });
  useEffect(() => {
    latest.current = { handler, onResync };
  });
  useEffect(() => {
    const scope: ScopeKey = isPoolEventType(type) ? ADMIN_SCOPE : USER_SCOPE;
    return liveStore.watch(scope, {
      onEvent: (event) => {
        if (event.type === type) {
          latest.current.handler(event);
        }
      },
      onResync: () => latest.current.onResync?.(),
    });
  }, [type]);
}

export type { UserEventType };
