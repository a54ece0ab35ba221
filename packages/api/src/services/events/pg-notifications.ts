import { randomUUID } from 'node:crypto';
import type { NotificationConnection } from '@tradepool/db';
import type { Logger } from 'pino';
import type { SessionEvents, SessionRevocation } from '../../context';

/** Notified by the `events` trigger on every commit that appended events (payload: the transaction id). */
export const EVENTS_CHANNEL = 'tradepool_events';
/** Session revocations, so every process closes the user's sockets and streams (payload: ids and a reason). */
export const SESSIONS_CHANNEL = 'tradepool_sessions';

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 10_000;
/** A reason is a short code (`logout`, `password_changed`…); anything longer is cut, so a payload stays tiny. */
const MAX_REASON = 64;
const MAX_OUTBOX = 10_000;

interface WireRevocation {
  /** Origin: the publishing process, which has already acted on it. */
  o: string;
  u: string;
  s?: string;
  r: string;
}

/**
 * One dedicated LISTEN connection per process on Postgres. `tradepool_events` wakes the dispatcher (it then reads
 * the rows itself: a notification carries a transaction id at most, never an event, so it can never reach
 * Postgres's 8 KB payload limit). `tradepool_sessions` carries revocations both ways: this process publishes its own
 * and replays the others' into its `SessionEvents`, where sockets and SSE streams listen.
 *
 * The connection is re-opened with exponential back-off (0.1 s to 10 s) whenever it drops; after each (re)connect the
 * dispatcher is woken, since notifications sent while nobody listened are lost, and the slow poll stays as a last
 * safety net. Revocations published while disconnected wait in memory and go out on reconnect.
 */
export class PostgresNotifications {
  readonly #origin = randomUUID();
  #client: NotificationConnection | null = null;
  #stopped = false;
  #backoffMs = BACKOFF_MIN_MS;
  #retry: NodeJS.Timeout | null = null;
  #relaying = false;
  #outbox: WireRevocation[] = [];
  #connecting: Promise<void> | null = null;
  #flushing: Promise<void> | null = null;
  readonly #onRevoked = (revocation: SessionRevocation) => {
    if (this.#relaying) {
      return;
    }
    if (this.#outbox.length >= MAX_OUTBOX) {
      // Postgres has been unreachable for a long while; sessions are still checked against the database per request.
      this.#outbox.shift();
    }
    this.#outbox.push({
      o: this.#origin,
      u: revocation.userId,
      ...(revocation.sessionId ? { s: revocation.sessionId } : {}),
      r: revocation.reason.slice(0, MAX_REASON),
    });
    void this.#flush();
  };

  constructor(
    private readonly deps: {
      /** Opens a new dedicated connection (`Database.listenConnection`). */
      connect: () => Promise<NotificationConnection>;
      log: Logger;
      wake: () => void;
      sessionEvents: SessionEvents;
    },
  ) {}

  /** Whether the LISTEN connection is up (for readiness and metrics). */
  get listening(): boolean {
    return this.#client !== null;
  }

  /** Connects (or keeps retrying in the background if Postgres is not reachable yet) and starts relaying. */
  async start(): Promise<void> {
    this.deps.sessionEvents.on('revoked', this.#onRevoked);
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.deps.sessionEvents.off('revoked', this.#onRevoked);
    if (this.#retry) {
      clearTimeout(this.#retry);
      this.#retry = null;
    }
    await this.#connecting?.catch(() => undefined);
    await this.#flush();
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  #connect(): Promise<void> {
    this.#connecting ??= (async () => {
      try {
        const client = await this.deps.connect();
        if (this.#stopped) {
          await client.end().catch(() => undefined);
          return;
        }
        let lost = false;
        const onLost = (error?: Error) => {
          if (lost) {
            return;
          }
          lost = true;
          if (this.#client === client) {
            this.#client = null;
          }
          void client.end().catch(() => undefined);
          if (!this.#stopped) {
            this.deps.log.warn({ err: error }, 'Postgres LISTEN connection lost; reconnecting');
            this.#scheduleReconnect();
          }
        };
        client.on('error', onLost);
        client.on('end', () => onLost());
        client.on('notification', (message) => this.#received(message));
        await client.query(`LISTEN ${EVENTS_CHANNEL}`);
        await client.query(`LISTEN ${SESSIONS_CHANNEL}`);
        this.#client = client;
        this.#backoffMs = BACKOFF_MIN_MS;
        // Anything committed while nobody listened was not announced to us: look now.
        this.deps.wake();
        await this.#flush();
      } catch (error) {
        if (!this.#stopped) {
          this.deps.log.warn({ err: error }, 'Postgres LISTEN connection failed; retrying');
          this.#scheduleReconnect();
        }
      } finally {
        this.#connecting = null;
      }
    })();
    return this.#connecting;
  }

  #scheduleReconnect(): void {
    if (this.#retry || this.#stopped) {
      return;
    }
    const delay = this.#backoffMs * (0.5 + Math.random() / 2);
    this.#backoffMs = Math.min(this.#backoffMs * 2, BACKOFF_MAX_MS);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect();
    }, delay);
    this.#retry.unref();
  }

  #received(message: { channel: string; payload?: string }): void {
    if (message.channel === EVENTS_CHANNEL) {
      this.deps.wake();
      return;
    }
    if (message.channel !== SESSIONS_CHANNEL || !message.payload) {
      return;
    }
    let wire: Partial<WireRevocation>;
    try {
      wire = JSON.parse(message.payload) as Partial<WireRevocation>;
    } catch {
      this.deps.log.warn('ignoring a malformed session notification');
      return;
    }
    if (wire.o === this.#origin || typeof wire.u !== 'string' || typeof wire.r !== 'string') {
      return;
    }
    this.#relaying = true;
    try {
      this.deps.sessionEvents.emit('revoked', {
        userId: wire.u,
        ...(typeof wire.s === 'string' ? { sessionId: wire.s } : {}),
        reason: wire.r,
      });
    } finally {
      this.#relaying = false;
    }
  }

  /** Sends queued revocations on the LISTEN connection (outside the pool, so never inside someone's transaction). */
  #flush(): Promise<void> {
    this.#flushing ??= this.#sendOutbox().then((ok) => {
      this.#flushing = null;
      // Queued while the last send was in flight: send it too (after a failure, the reconnect will).
      if (ok && this.#client && this.#outbox.length > 0) {
        void this.#flush();
      }
    });
    return this.#flushing;
  }

  async #sendOutbox(): Promise<boolean> {
    const client = this.#client;
    while (client && this.#client === client && this.#outbox.length > 0) {
      const next = this.#outbox[0];
      try {
        await client.query('select pg_notify($1, $2)', [SESSIONS_CHANNEL, JSON.stringify(next)]);
        this.#outbox.shift();
      } catch (error) {
        this.deps.log.warn({ err: error }, 'publishing a session revocation failed; will retry on reconnect');
        return false;
      }
    }
    return true;
  }
}
