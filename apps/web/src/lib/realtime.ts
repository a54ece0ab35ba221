import { useEffect, useRef, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import { getAccessToken, subscribeAccessToken } from './auth-token';

/** Every live event has this envelope (CONTRACT.md §5); `id` increases, so a client can resume after the last one. */
export interface LiveEvent<Data = unknown> {
  id: string;
  type: string;
  poolId?: string;
  at: string;
  data: Data;
}

export interface ServerToClientEvents {
  /** The session behind this socket ended (sign-out, revocation, password or role change); the server disconnects. */
  'session:revoked': (payload: { reason: string }) => void;
  /** The access token the socket opened with expired; the server disconnects. */
  'session:expired': (payload: { reason: string }) => void;
  'pool:update': (event: LiveEvent) => void;
  'trade:executed': (event: LiveEvent) => void;
  'position:update': (event: LiveEvent) => void;
  'pnl:update': (event: LiveEvent) => void;
  'investment:update': (event: LiveEvent) => void;
  'withdrawal:update': (event: LiveEvent) => void;
  'wallet:update': (event: LiveEvent) => void;
  'subscription:update': (event: LiveEvent) => void;
}

export type SubscribeAck = { ok: true } | { ok: false; error: string };

export interface ClientToServerEvents {
  'pool:subscribe': (
    request: { poolId: string; lastEventId?: string },
    ack: (answer: SubscribeAck) => void,
  ) => void;
  'pool:unsubscribe': (request: { poolId: string }) => void;
}

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The one socket of the app, same origin. The handshake reads the token each time it connects, so reconnecting after
 * a refresh presents the new one. It connects only while someone is signed in (see `connectRealtime`).
 */
export const socket: RealtimeSocket = io({
  path: '/socket.io',
  // WebSocket only: with several server processes behind a plain round-robin balancer, HTTP long-polling would need
  // sticky sessions (each poll may land on another process). A reconnect to any process resumes by event id.
  transports: ['websocket'],
  autoConnect: false,
  auth: (send) => send({ token: `Bearer ${getAccessToken() ?? ''}` }),
});

/**
 * `offline`: not meant to be connected (signed out). `connecting`: first attempt. `connected`: live.
 * `reconnecting`: it was live and is trying again (network loss, server restart, token renewal).
 */
export type RealtimeStatus = 'offline' | 'connecting' | 'connected' | 'reconnecting';

let status: RealtimeStatus = 'offline';
const statusListeners = new Set<() => void>();

function setStatus(next: RealtimeStatus): void {
  if (next !== status) {
    status = next;
    for (const listener of statusListeners) {
      listener();
    }
  }
}

function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

/** The socket's state, for the header's indicator and for pages that want to say their data is live. */
export function useRealtimeStatus(): RealtimeStatus {
  return useSyncExternalStore(subscribeStatus, () => status);
}

/**
 * Listens to one server event while the component is mounted. The handler may change between renders without
 * re-subscribing.
 */
export function useRealtimeEvent<Event extends keyof ServerToClientEvents>(
  event: Event,
  handler: ServerToClientEvents[Event],
): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const listener = (...args: unknown[]) => (latest.current as (...received: unknown[]) => void)(...args);
    // socket.io's typed `on` cannot follow a generic event name; the handler's type already came from the same map.
    const untyped = socket as unknown as {
      on: (name: string, listener: (...args: unknown[]) => void) => void;
      off: (name: string, listener: (...args: unknown[]) => void) => void;
    };
    untyped.on(event, listener);
    return () => {
      untyped.off(event, listener);
    };
  }, [event]);
}

interface RealtimeHandlers {
  /** The server refused the handshake, or told us the token expired: renew it (the socket follows the new token). */
  onTokenRejected: () => void;
  /** The server ended the session behind the socket. */
  onRevoked: () => void;
}

/** Consecutive refused handshakes before giving up until the token changes again: no refresh loop. */
const MAX_REJECTIONS = 3;

/**
 * Keeps the socket in step with the access token: connected while there is one, reconnected with each new one (the
 * server closes a socket when the token it opened with expires), closed on sign-out. Returns the cleanup.
 */
export function connectRealtime(handlers: RealtimeHandlers): () => void {
  let openedWith: string | null = null;
  let rejections = 0;

  const follow = (token: string | null) => {
    if (token === null) {
      openedWith = null;
      socket.disconnect();
      setStatus('offline');
      return;
    }
    if (token === openedWith) {
      return;
    }
    // A token renewal while live is a planned reconnect of a few milliseconds: the indicator stays "live" unless it
    // fails (connect_error then says so).
    if (status === 'offline') {
      setStatus('connecting');
    }
    openedWith = token;
    socket.disconnect().connect();
  };

  const onConnect = () => {
    rejections = 0;
    setStatus('connected');
  };
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    if (reason !== 'io client disconnect') {
      setStatus('reconnecting');
    }
  };
  const onConnectError = (error: Error) => {
    if (socket.active) {
      // A transport failure: socket.io keeps retrying with backoff on its own.
      setStatus('reconnecting');
      return;
    }
    // Refused by the server's auth middleware: socket.io does not retry these. A new token will reconnect.
    setStatus('reconnecting');
    if (error.message === 'UNAUTHORIZED' && rejections < MAX_REJECTIONS) {
      rejections += 1;
      handlers.onTokenRejected();
    }
  };
  const onExpired = () => handlers.onTokenRejected();
  const onRevoked = () => handlers.onRevoked();

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('session:expired', onExpired);
  socket.on('session:revoked', onRevoked);
  follow(getAccessToken());
  const stopFollowing = subscribeAccessToken(follow);

  return () => {
    stopFollowing();
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    socket.off('session:expired', onExpired);
    socket.off('session:revoked', onRevoked);
    socket.disconnect();
    setStatus('offline');
  };
}
