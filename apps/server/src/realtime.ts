import type { Server as HttpServer } from 'node:http';
import type { SessionEvents, SessionUser } from '@tradepool/api/server';
import type { Clock } from '@tradepool/domain';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';

export interface RealtimeDeps {
  log: Logger;
  /** Origins allowed besides same-origin (CORS_ORIGINS; in development the Vite dev server too). */
  allowedOrigins: string[];
  /** Verifies a handshake token (`Bearer <accessToken>`); null when it is missing, invalid or revoked. */
  authenticate: (token: string) => Promise<SessionUser | null>;
  sessionEvents: SessionEvents;
  clock: Clock;
}

export interface SocketData {
  user: SessionUser;
}

export interface ServerToClientEvents {
  'session:expired': (payload: { reason: string }) => void;
  'session:revoked': (payload: { reason: string }) => void;
}

export type RealtimeServer = Server<
  Record<string, never>,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

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
  });

  io.use((socket, next) => {
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
        if (!user) {
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
    socket.on('disconnect', () => clearTimeout(expiry));
  });

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
