import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { EventDispatcher, SessionEvents, SessionUser } from '@tradepool/api/server';
import type { Clock, LiveEvent } from '@tradepool/domain';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';

export interface RealtimeDeps {
  log: Logger;
  /** Origins allowed besides same-origin (CORS_ORIGINS; in development the Vite dev server too). */
  allowedOrigins: string[];
  /** Verifies a handshake token (`Bearer <accessToken>`); null when it is missing, invalid or revoked. */
  authenticate: (token: string) => Promise<SessionUser | null>;
  sessionEvents: SessionEvents;
  clock: Clock;
  events: EventDispatcher;
  /** Whether a pool exists and the user may watch it. */
  canWatchPool: (user: SessionUser, poolId: string) => Promise<boolean>;
  /** Counts a new connection's handshake against the per-IP limit (CONTRACT §8); false when over it. */
  admitHandshake?: (request: IncomingMessage) => Promise<boolean>;
}

/** Set on a handshake request found over the per-IP limit; the socket is then refused with TOO_MANY_REQUESTS. */
const OVER_LIMIT = Symbol('overLimit');

export interface SocketData {
  user: SessionUser;
}

export type Ack = (answer: { ok: true } | { ok: false; error: string }) => void;

export interface ClientToServerEvents {
  'pool:subscribe': (payload: unknown, ack?: Ack) => void;
  'pool:unsubscribe': (payload: unknown, ack?: Ack) => void;
}

export type ServerToClientEvents = {
  'session:expired': (payload: { reason: string }) => void;
  'session:revoked': (payload: { reason: string }) => void;
} & Record<LiveEvent['type'], (event: LiveEvent) => void>;

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

const SubscribePayload = z.strictObject({
  poolId: z.string().min(1).max(64),
  lastEventId: z
    .union([z.string().regex(/^\d{1,18}$/), z.number().int().nonnegative()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : Number(v))),
});
const UnsubscribePayload = z.strictObject({ poolId: z.string().min(1).max(64) });

/** CONTRACT §8: a socket may subscribe at most 30 times a minute. */
const SUBSCRIBES_PER_MINUTE = 30;
const SUBSCRIBE_WINDOW_MS = 60_000;

/**
 * Resolves when what was emitted so far has been written to the connection (engine.io's buffer is empty and the
 * transport finished its last send, which for websockets waits for the kernel to take the bytes), or the connection
 * closed: a replay sends its next page only then, so a slow reader holds up nobody but itself.
 */
async function drained(socket: Socket): Promise<void> {
  interface Emitter {
    on(event: string, listener: () => void): unknown;
    off(event: string, listener: () => void): unknown;
  }
  // engine.io's buffer and transport state are not in its public types; both exist in every 6.x release.
  const conn = socket.conn as unknown as Emitter & {
    writeBuffer?: unknown[];
    transport: Emitter & { writable?: boolean };
  };
  while (!socket.disconnected && (conn.transport.writable === false || (conn.writeBuffer?.length ?? 0) > 0)) {
    const transport = conn.transport;
    await new Promise<void>((resolve) => {
      const done = () => {
        transport.off('ready', done);
        conn.off('upgrade', done);
        conn.off('close', done);
        resolve();
      };
      transport.on('ready', done);
      conn.on('upgrade', done);
      conn.on('close', done);
    });
  }
}

/** The TCP socket under an engine.io connection on the websocket transport (ws keeps it as `_socket`), else null. */
function tcpSocket(conn: unknown): { cork(): void; uncork(): void } | null {
  const transport = (conn as { transport?: { name?: string; socket?: { _socket?: unknown } } }).transport;
  const raw = transport?.name === 'websocket' ? transport.socket?._socket : undefined;
  return raw && typeof (raw as { cork?: unknown }).cork === 'function'
    ? (raw as { cork(): void; uncork(): void })
    : null;
}

function originAllowed(socket: Socket, allowed: string[]): boolean {
  const origin = socket.handshake.headers.origin;
  if (!origin) {
    // Non-browser clients (the model team's scripts, tests) send no Origin; the token is what protects them.
    return true;
  }
  const host = socket.handshake.headers.host;
  try {
    if (host && new URL(origin).host === host) {
      return true;
    }
  } catch {
    return false;
  }
  return allowed.includes(origin);
}

/**
 * socket.io on the same HTTP server as the API (path /socket.io). Every connection must present a valid access token
 * in `auth.token`; anything else, or a browser Origin we do not serve, is refused with `connect_error UNAUTHORIZED`.
 */
export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    cors: { origin: deps.allowedOrigins, credentials: true },
    connectionStateRecovery: undefined,
    // engine.io answers /socket.io/ before Hono sees it, so handshakes are counted here. The refusal itself happens
    // in the first middleware, where the client gets a readable `connect_error TOO_MANY_REQUESTS`.
    allowRequest: (request, callback) => {
      if (!deps.admitHandshake) {
        callback(null, true);
        return;
      }
      deps.admitHandshake(request).then(
        (admitted) => {
          (request as IncomingMessage & { [OVER_LIMIT]?: boolean })[OVER_LIMIT] = !admitted;
          callback(null, true);
        },
        (error: unknown) => {
          deps.log.warn({ err: error }, 'socket handshake limit unavailable');
          callback('SERVICE_UNAVAILABLE', false);
        },
      );
    },
  });

  io.use((socket, next) => {
    if ((socket.request as IncomingMessage & { [OVER_LIMIT]?: boolean })[OVER_LIMIT]) {
      next(new Error('TOO_MANY_REQUESTS'));
      return;
    }
    const refuse = () => next(new Error('UNAUTHORIZED'));
    if (!originAllowed(socket, deps.allowedOrigins)) {
      refuse();
      return;
    }
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const raw = typeof auth?.token === 'string' ? auth.token : '';
    const token = raw.startsWith('Bearer ') ? raw.slice('Bearer '.length).trim() : raw.trim();
    if (!token) {
      refuse();
      return;
    }
    deps.authenticate(token).then(
      (user) => {
        // A token still pending 2FA enrolment opens nothing but the enrolment pages: no live events, no admin room.
        if (!user || user.pendingTotpEnrollment) {
          refuse();
          return;
        }
        socket.data.user = user;
        next();
      },
      (error: unknown) => {
        deps.log.warn({ err: error }, 'socket authentication failed');
        refuse();
      },
    );
  });

  io.on('connection', (socket) => {
    const { user } = socket.data;
    void socket.join(`user_${user.id}`);
    if (user.role === 'ADMIN' || user.role === 'MANAGER') {
      void socket.join('admin');
    }
    // The socket lives no longer than the token that opened it; the client reconnects with a fresh one.
    const ttl = Math.max(0, user.expiresAt.getTime() - deps.clock.now().getTime());
    const expiry = setTimeout(() => {
      socket.emit('session:expired', { reason: 'token_expired' });
      socket.disconnect(true);
    }, ttl);
    expiry.unref();

    // One live subscription per pool per socket. The replay streams outside the dispatcher's lock, page by page as
    // fast as this socket's connection drains, then the socket joins the room in the same synchronous step that
    // flushes what arrived meanwhile: every event after lastEventId exactly once, in order (see EventDispatcher).
    const joined = new Set<string>();
    const replaying = new Map<string, AbortController>();
    const subscribeTimes: number[] = [];
    socket.on('pool:subscribe', (payload, ack) => {
      const reply: Ack = typeof ack === 'function' ? ack : () => {};
      const now = deps.clock.now().getTime();
      while (subscribeTimes.length > 0 && (subscribeTimes[0] ?? 0) <= now - SUBSCRIBE_WINDOW_MS) {
        subscribeTimes.shift();
      }
      if (subscribeTimes.length >= SUBSCRIBES_PER_MINUTE) {
        reply({
          ok: false,
          error: `TOO_MANY_REQUESTS: at most ${SUBSCRIBES_PER_MINUTE} subscriptions a minute per socket`,
        });
        return;
      }
      subscribeTimes.push(now);
      const parsed = SubscribePayload.safeParse(payload);
      if (!parsed.success) {
        reply({ ok: false, error: 'BAD_REQUEST: poolId is required; lastEventId must be an event id' });
        return;
      }
      const { poolId, lastEventId } = parsed.data;
      const room = `pool_${poolId}`;
      deps
        .canWatchPool(user, poolId)
        .then(async (allowed) => {
          if (!allowed) {
            reply({ ok: false, error: 'NOT_FOUND: no such pool' });
            return;
          }
          if (joined.has(room) || replaying.has(room)) {
            reply({ ok: true });
            return;
          }
          if (!(await deps.events.replayAllowed({ poolId }, lastEventId))) {
            reply({ ok: false, error: 'RESYNC_REQUIRED' });
            return;
          }
          const cancel = new AbortController();
          replaying.set(room, cancel);
          try {
            const done = await deps.events.catchUp({ poolId }, lastEventId, {
              page: async (missed) => {
                for (const event of missed) {
                  socket.emit(event.type, event);
                }
                await drained(socket);
              },
              emit: (event) => socket.emit(event.type, event),
              join: () => {
                void socket.join(room);
                joined.add(room);
              },
              signal: cancel.signal,
            });
            if (done) {
              reply({ ok: true });
            }
          } finally {
            if (replaying.get(room) === cancel) {
              replaying.delete(room);
            }
          }
        })
        .catch((error: unknown) => {
          deps.log.error({ err: error, poolId }, 'pool:subscribe failed');
          reply({ ok: false, error: 'INTERNAL_SERVER_ERROR' });
        });
    });
    socket.on('pool:unsubscribe', (payload, ack) => {
      const reply: Ack = typeof ack === 'function' ? ack : () => {};
      const parsed = UnsubscribePayload.safeParse(payload);
      if (!parsed.success) {
        reply({ ok: false, error: 'BAD_REQUEST: poolId is required' });
        return;
      }
      const room = `pool_${parsed.data.poolId}`;
      replaying.get(room)?.abort();
      replaying.delete(room);
      joined.delete(room);
      void socket.leave(room);
      reply({ ok: true });
    });

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      for (const cancel of replaying.values()) {
        cancel.abort();
      }
    });
  });

  // A socket that fell behind (its transport still sending when more events came, as when the dispatcher delivers a
  // batch) gets what queued meanwhile in one engine.io flush; ws writes each packet as its own frame, so the TCP
  // socket is corked around the flush and the frames leave in one write instead of one system call per event.
  // engine.io emits `flush` and `drain` on its server synchronously around each `transport.send`.
  let corked: { uncork(): void } | null = null;
  io.engine.on('flush', (conn: unknown, buffer: unknown[]) => {
    const raw = buffer.length > 1 ? tcpSocket(conn) : null;
    raw?.cork();
    corked = raw;
  });
  io.engine.on('drain', () => {
    corked?.uncork();
    corked = null;
  });

  // Committed events reach the rooms that may see them: a pool's watchers (and admins, for pool updates), or the
  // one user whose money changed. Rooms without a socket are skipped: socket.io would encode the packet anyway, and
  // the dispatcher parses an event's payload only when something reads it.
  const occupied = (rooms: string[]) => rooms.filter((room) => io.sockets.adapter.rooms.has(room));
  const removeSink = deps.events.addSink({
    deliver(event, audience) {
      // A user's own event never goes to a pool's room, even if it names the pool (replays filter the same way).
      if (audience.poolId && !audience.userId) {
        const rooms = occupied(
          event.type === 'pool:update' ? [`pool_${audience.poolId}`, 'admin'] : [`pool_${audience.poolId}`],
        );
        if (rooms.length > 0) {
          io.to(rooms).emit(event.type, event);
        }
      }
      if (audience.userId && occupied([`user_${audience.userId}`]).length > 0) {
        io.to(`user_${audience.userId}`).emit(event.type, event);
      }
    },
  });
  io.engine.on('close', removeSink);

  // Logout, password or role change, disabling, reuse detection: matching sockets are closed at once.
  const onRevoked = (revocation: { userId: string; sessionId?: string; reason: string }) => {
    for (const socket of io.of('/').sockets.values()) {
      const user = socket.data.user;
      if (
        user &&
        user.id === revocation.userId &&
        (!revocation.sessionId || revocation.sessionId === user.sessionId)
      ) {
        socket.emit('session:revoked', { reason: revocation.reason });
        socket.disconnect(true);
      }
    }
  };
  deps.sessionEvents.on('revoked', onRevoked);
  io.engine.on('close', () => deps.sessionEvents.off('revoked', onRevoked));

  return io;
}
