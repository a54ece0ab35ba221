import {
  isPoolEventType,
  LIVE_EVENT_TYPES,
  type LiveEvent,
  type LiveEventType,
} from '@tradepool/domain/events';
import { io, type Socket } from 'socket.io-client';
import type { LiveTransport, ScopeKey, StreamCallbacks } from './live-store';

/**
 * The socket.io path, loaded only when SSE cannot carry the streams (`import()` from realtime.ts), so socket.io-client
 * stays out of the first page's JavaScript. The socket.io contract (CONTRACT.md §5) is the server's, unchanged.
 */

/** Server → client events: every live event type from domain, plus the two session notices. */
export type ServerToClientEvents = {
  /** The session behind this socket ended (sign-out, revocation, password or role change); the server disconnects. */
  'session:revoked': (payload: { reason: string }) => void;
  /** The access token the socket opened with expired; the server disconnects. */
  'session:expired': (payload: { reason: string }) => void;
} & Record<LiveEventType, (event: LiveEvent) => void>;

export type SubscribeAck = { ok: true } | { ok: false; error: string };

export interface ClientToServerEvents {
  'pool:subscribe': (
    request: { poolId: string; lastEventId?: string },
    ack: (answer: SubscribeAck) => void,
  ) => void;
  'pool:unsubscribe': (request: { poolId: string }) => void;
}

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface SocketSession {
  token: () => string | null;
  /** Calls back with each new access token (null: signed out); returns the unsubscribe function. */
  followToken: (listener: (token: string | null) => void) => () => void;
  /** The server refused the handshake, or told us the token expired: renew it (the socket follows the new token). */
  onTokenRejected: () => void;
  /** The server ended the session behind the socket. */
  onRevoked: () => void;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;
const RETRY_MS = 3_000;
/** Consecutive refused handshakes before giving up until the token changes again: no refresh loop. */
const MAX_REJECTIONS = 3;

interface Stream {
  scope: ScopeKey;
  callbacks: StreamCallbacks;
  /** A pool stream's room was joined on the current connection. */
  joined: boolean;
}

/**
 * One socket, same origin, websocket only: with several server processes behind a plain round-robin balancer,
 * long-polling would need sticky sessions; a reconnect to any process resumes by event id. The handshake reads the
 * token each time it connects, and the socket reconnects with each new token (the server closes a socket when the
 * token it opened with expires).
 */
export function createSocketTransport(session: SocketSession): LiveTransport {
  const socket: RealtimeSocket = io({
    path: '/socket.io',
    transports: ['websocket'],
    autoConnect: false,
    auth: (send) => send({ token: `Bearer ${session.token() ?? ''}` }),
  });
  const streams = new Set<Stream>();
  let openedWith: string | null = null;
  let rejections = 0;

  const poolIdOf = (stream: Stream) => (stream.scope.startsWith('pool:') ? stream.scope.slice(5) : null);

  const join = (stream: Stream) => {
    const poolId = poolIdOf(stream);
    if (!socket.connected) {
      return;
    }
    if (poolId === null) {
      // The user's and the admin room are joined by the handshake, without replay.
      stream.callbacks.started(false);
      return;
    }
    const lastEventId = stream.callbacks.position() ?? undefined;
    socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit('pool:subscribe', lastEventId ? { poolId, lastEventId } : { poolId }, (error, answer) => {
        if (!streams.has(stream)) {
          return;
        }
        if (!error && !answer.ok && answer.error === 'RESYNC_REQUIRED') {
          stream.callbacks.resyncRequired();
          return;
        }
        // A timeout or a server fault: try again while the stream is open. NOT_FOUND will not get better.
        if (error || (!answer.ok && !answer.error.startsWith('NOT_FOUND'))) {
          setTimeout(() => {
            if (streams.has(stream) && !stream.joined) {
              join(stream);
            }
          }, RETRY_MS);
          return;
        }
        if (answer.ok) {
          stream.joined = true;
          stream.callbacks.started(lastEventId !== undefined);
        }
      });
  };

  const route = (event: LiveEvent) => {
    for (const stream of streams) {
      const wanted =
        stream.scope === 'user'
          ? !isPoolEventType(event.type)
          : stream.scope === 'admin'
            ? isPoolEventType(event.type)
            : isPoolEventType(event.type) && event.poolId === poolIdOf(stream);
      if (wanted) {
        stream.callbacks.event(event);
      }
    }
  };

  socket.on('connect', () => {
    rejections = 0;
    for (const stream of streams) {
      join(stream);
    }
  });
  socket.on('disconnect', (reason) => {
    for (const stream of streams) {
      stream.joined = false;
      // Our own disconnect is a planned reconnect with a new token (a few milliseconds) or the end: not an outage.
      if (reason !== 'io client disconnect') {
        stream.callbacks.interrupted();
      }
    }
  });
  socket.on('connect_error', (error) => {
    for (const stream of streams) {
      stream.callbacks.interrupted();
    }
    // A transport failure: socket.io retries with backoff on its own. A refusal by the server's auth middleware is
    // not retried: a new token will reconnect.
    if (!socket.active && error.message === 'UNAUTHORIZED' && rejections < MAX_REJECTIONS) {
      rejections += 1;
      session.onTokenRejected();
    }
  });
  socket.on('session:expired', () => session.onTokenRejected());
  socket.on('session:revoked', () => session.onRevoked());
  const untyped = socket as unknown as { on: (name: string, listener: (event: LiveEvent) => void) => void };
  for (const type of LIVE_EVENT_TYPES) {
    untyped.on(type, route);
  }

  const follow = (token: string | null) => {
    if (token === null) {
      openedWith = null;
      socket.disconnect();
    } else if (token !== openedWith) {
      openedWith = token;
      socket.disconnect().connect();
    }
  };
  const stopFollowing = session.followToken(follow);
  follow(session.token());

  return {
    kind: 'socket.io',
    open(scope, callbacks) {
      const stream: Stream = { scope, callbacks, joined: false };
      streams.add(stream);
      join(stream);
      return () => {
        streams.delete(stream);
        const poolId = poolIdOf(stream);
        if (poolId !== null && socket.connected) {
          socket.emit('pool:unsubscribe', { poolId });
        }
      };
    },
    dispose() {
      stopFollowing();
      socket.disconnect();
      socket.removeAllListeners();
    },
  };
}
