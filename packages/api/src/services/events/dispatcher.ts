import { EventEmitter } from 'node:events';
import type { Database, StoredEvent } from '@tradepool/db';
import type { LiveEvent } from '@tradepool/domain';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';
import { latestEventId, readEvents, toLiveEvent } from './event-store';

/** Where dispatched events go besides in-process streams: the socket.io rooms. */
export interface EventSink {
  deliver(event: LiveEvent, audience: { poolId: string | null; userId: string | null }): void;
}

export type EventScope = { poolId: string } | { userId: string };

const BATCH = 500;

function scopeKey(scope: EventScope): string {
  return 'poolId' in scope ? `pool:${scope.poolId}` : `user:${scope.userId}`;
}

/**
 * Reads committed events in id order and fans them out to sinks (socket.io) and in-process listeners (tRPC SSE
 * streams). One pass runs at a time; `exclusive()` runs a replay between passes, so a subscriber that replays "up to
 * the last dispatched id" and then starts listening misses nothing and sees nothing twice.
 */
export class EventDispatcher {
  readonly #listeners = new EventEmitter();
  readonly #sinks = new Set<EventSink>();
  #lastId = 0;
  #lock: Promise<unknown> = Promise.resolve();
  #pumpQueued = false;
  #started = false;
  #unsubscribeBus: (() => void) | null = null;
  #poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {
    this.#listeners.setMaxListeners(0);
  }

  get lastDispatchedId(): number {
    return this.#lastId;
  }

  /**
   * Starts from the newest stored event (clients catch up on older ones by replay). `pollMs` makes the dispatcher also
   * look for events written by other processes sharing the database.
   */
  async start(options: { pollMs?: number } = {}): Promise<void> {
    if (this.#started) {
      return;
    }
    this.#started = true;
    this.#lastId = await latestEventId(this.database);
    this.#unsubscribeBus = this.bus.onNotify(() => this.wake());
    if (options.pollMs) {
      this.#poll = setInterval(() => this.wake(), options.pollMs);
      this.#poll.unref();
    }
  }

  stop(): void {
    this.#unsubscribeBus?.();
    this.#unsubscribeBus = null;
    if (this.#poll) {
      clearInterval(this.#poll);
      this.#poll = null;
    }
    this.#started = false;
  }

  addSink(sink: EventSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  /** Asks for a dispatch pass; several wake-ups while one is waiting collapse into it. */
  wake(): void {
    if (!this.#started || this.#pumpQueued) {
      return;
    }
    this.#pumpQueued = true;
    void this.#run(async () => {
      this.#pumpQueued = false;
      await this.#pump();
    }).catch((error: unknown) => this.log.error({ err: error }, 'event dispatch failed'));
  }

  /** Resolves once every event committed before the call has been dispatched. */
  async drain(): Promise<void> {
    await this.#run(() => this.#pump());
  }

  #run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#lock.then(fn);
    this.#lock = next.catch(() => undefined);
    return next;
  }

  async #pump(): Promise<void> {
    for (;;) {
      const batch = await readEvents(this.database, { afterId: this.#lastId, limit: BATCH });
      for (const row of batch) {
        this.#deliver(row);
        this.#lastId = row.id;
      }
      if (batch.length < BATCH) {
        return;
      }
    }
  }

  #deliver(row: StoredEvent): void {
    const event = toLiveEvent(row);
    for (const sink of this.#sinks) {
      try {
        sink.deliver(event, { poolId: row.poolId, userId: row.userId });
      } catch (error) {
        this.log.error({ err: error, eventId: row.id }, 'event sink failed');
      }
    }
    if (row.poolId) {
      this.#listeners.emit(scopeKey({ poolId: row.poolId }), event);
    }
    if (row.userId) {
      this.#listeners.emit(scopeKey({ userId: row.userId }), event);
    }
  }

  /**
   * Runs `fn` between two dispatch passes, with the id of the last dispatched event: whatever `fn` replays up to that
   * id and whatever it then starts listening to cannot overlap or leave a gap.
   */
  atBoundary<T>(fn: (lastDispatchedId: number) => Promise<T> | T): Promise<T> {
    return this.#run(async () => fn(this.#lastId));
  }

  /** Stored events of a scope in (afterId, upToId], oldest first, handed over in batches. */
  async replay(
    scope: EventScope,
    afterId: number,
    upToId: number,
    onBatch: (events: LiveEvent[]) => void,
  ): Promise<void> {
    let cursor = afterId;
    while (cursor < upToId) {
      const rows = await readEvents(this.database, { ...scope, afterId: cursor, upToId, limit: BATCH });
      if (rows.length > 0) {
        onBatch(rows.map(toLiveEvent));
      }
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) {
        return;
      }
      cursor = last.id;
    }
  }

  /**
   * Replays the scope's events after `afterId` and starts delivering new ones to `listener`, with nothing missed
   * or repeated in between. `replay` receives the stored events first, in order.
   */
  subscribe(
    scope: EventScope,
    afterId: number | null,
    replay: (events: LiveEvent[]) => void,
    listener: (event: LiveEvent) => void,
  ): Promise<() => void> {
    return this.atBoundary(async (upToId) => {
      if (afterId !== null) {
        await this.replay(scope, afterId, upToId, replay);
      }
      const key = scopeKey(scope);
      this.#listeners.on(key, listener);
      return () => {
        this.#listeners.off(key, listener);
      };
    });
  }
}
