import { EventEmitter } from 'node:events';
import type { Database } from '@tradepool/db';
import type { LiveEvent } from '@tradepool/domain';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';
import {
  countEvents,
  type DispatchRow,
  latestCommittedId,
  latestEventId,
  readDispatchRows,
} from './event-store';

/** Where dispatched events go besides in-process streams: the socket.io rooms. */
export interface EventSink {
  deliver(event: LiveEvent, audience: { poolId: string | null; userId: string | null }): void;
}

export type EventScope = { poolId: string } | { userId: string };

const BATCH = 500;
/** REPLAY_MAX_EVENTS when the host does not say (CONTRACT §8). */
export const DEFAULT_REPLAY_MAX_EVENTS = 10_000;
/** Live events kept aside per subscriber while its replay runs; beyond this they are re-read from the table. */
const LIVE_BUFFER = 1_000;

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
  #replayMaxEvents = DEFAULT_REPLAY_MAX_EVENTS;

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
  async start(options: { pollMs?: number; replayMaxEvents?: number } = {}): Promise<void> {
    if (this.#started) {
      return;
    }
    this.#started = true;
    if (options.replayMaxEvents !== undefined) {
      this.#replayMaxEvents = options.replayMaxEvents;
    }
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

  /**
   * Resolves once every event committed before the call has been dispatched. On Postgres an event is dispatched only
   * when no older transaction is still open anywhere on the server (see `readEvents`), so this may take a few passes;
   * it gives up after `maxWaitMs` (a transaction left open indefinitely would otherwise hold it forever).
   */
  async drain(maxWaitMs = 30_000): Promise<void> {
    const target = await latestCommittedId(this.database);
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      await this.#run(() => this.#pump());
      if (this.#lastId >= target || Date.now() >= deadline) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#lock.then(fn);
    this.#lock = next.catch(() => undefined);
    return next;
  }

  async #pump(): Promise<void> {
    for (;;) {
      const batch = await readDispatchRows(this.database, { afterId: this.#lastId, limit: BATCH });
      for (const row of batch) {
        this.#deliver(row);
        this.#lastId = row.id;
      }
      if (batch.length < BATCH) {
        return;
      }
    }
  }

  #deliver(row: DispatchRow): void {
    const { event } = row;
    for (const sink of this.#sinks) {
      try {
        sink.deliver(event, { poolId: row.poolId, userId: row.userId });
      } catch (error) {
        this.log.error({ err: error, eventId: row.id }, 'event sink failed');
      }
    }
    if (row.poolId && !row.userId) {
      this.#listeners.emit(scopeKey({ poolId: row.poolId }), event);
    }
    if (row.userId) {
      this.#listeners.emit(scopeKey({ userId: row.userId }), event);
    }
  }

  /**
   * Runs `fn` between two dispatch passes, with the id of the last dispatched event. Kept for callers that need a
   * consistent instant; replays no longer run here (they would hold up every other pool's delivery).
   */
  atBoundary<T>(fn: (lastDispatchedId: number) => Promise<T> | T): Promise<T> {
    return this.#run(async () => fn(this.#lastId));
  }

  /** REPLAY_MAX_EVENTS: the longest history one subscription may replay (CONTRACT §8). */
  get replayMaxEvents(): number {
    return this.#replayMaxEvents;
  }

  /**
   * Whether a subscription may replay everything after `afterId`: more than REPLAY_MAX_EVENTS answers
   * RESYNC_REQUIRED, and the client reloads the state and subscribes without an id instead.
   */
  async replayAllowed(scope: EventScope, afterId: number | null): Promise<boolean> {
    if (afterId === null) {
      return true;
    }
    return (await this.countAfter(scope, afterId, this.#replayMaxEvents)) <= this.#replayMaxEvents;
  }

  /**
   * How many of the scope's events follow `afterId`, counting at most `limit + 1` (enough to tell "more than
   * limit" without scanning a long history).
   */
  async countAfter(scope: EventScope, afterId: number, limit: number): Promise<number> {
    return countEvents(this.database, { ...scope, afterId, limit: limit + 1 });
  }

  /** Stored events of a scope in (afterId, upToId], oldest first, handed over page by page; each page is awaited. */
  async replay(
    scope: EventScope,
    afterId: number,
    upToId: number,
    onPage: (events: LiveEvent[]) => Promise<void> | void,
    signal?: AbortSignal,
  ): Promise<void> {
    let cursor = afterId;
    while (cursor < upToId && !signal?.aborted) {
      const rows = await readDispatchRows(this.database, { ...scope, afterId: cursor, upToId, limit: BATCH });
      if (rows.length > 0) {
        await onPage(rows.map((row) => row.event));
      }
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) {
        return;
      }
      cursor = last.id;
    }
  }

  /**
   * Replays the scope's events after `afterId` and then joins it live, with nothing missed or repeated in between,
   * without holding the dispatch lock: other pools keep being served while a long history streams.
   *
   * A buffering listener is registered first; the replay then reads stored events up to the last dispatched id
   * (every dispatched id is final, so the table is complete up to there), handing each page to `page` and waiting
   * for it (back-pressure: a slow client slows only its own replay). At the end, in one synchronous step, buffered
   * live events beyond the replayed range go to `emit` and `join` is called: the dispatcher delivers only between
   * awaits, so no event can fall between the replay and the live feed. If more live events arrive during the replay
   * than the buffer holds, the buffer is dropped and the next stretch is replayed from the table instead.
   *
   * Resolves `false` (having joined nothing) when `signal` aborts first.
   */
  async catchUp(
    scope: EventScope,
    afterId: number | null,
    target: {
      page: (events: LiveEvent[]) => Promise<void> | void;
      emit: (event: LiveEvent) => void;
      join: () => void;
      signal?: AbortSignal;
    },
  ): Promise<boolean> {
    if (afterId === null) {
      target.join();
      return true;
    }
    if (afterId > this.#lastId) {
      // The client has seen ids (from another process) that this dispatcher has not reached yet: catch up first, or
      // joining now would send those events a second time when this dispatcher gets to them.
      await this.drain();
    }
    const key = scopeKey(scope);
    let buffer: LiveEvent[] = [];
    let overflowed = false;
    const listener = (event: LiveEvent) => {
      if (overflowed) {
        return;
      }
      buffer.push(event);
      if (buffer.length > LIVE_BUFFER) {
        buffer = [];
        overflowed = true;
      }
    };
    this.#listeners.on(key, listener);
    try {
      let cursor = afterId;
      for (;;) {
        const upTo = this.#lastId;
        if (upTo > cursor) {
          await this.replay(scope, cursor, upTo, target.page, target.signal);
          cursor = upTo;
        }
        if (target.signal?.aborted) {
          return false;
        }
        if (!overflowed) {
          // Synchronous from here to `join`: no dispatch pass can run in between.
          for (const event of buffer) {
            if (Number(event.id) > cursor) {
              target.emit(event);
            }
          }
          target.join();
          return true;
        }
        // Too much arrived meanwhile: it is all in the table, read it from there on the next round.
        overflowed = false;
        buffer = [];
      }
    } finally {
      this.#listeners.off(key, listener);
    }
  }

  /**
   * Replays the scope's events after `afterId` and starts delivering new ones to `listener`, with nothing missed
   * or repeated in between. `replay` receives the stored events first, in order, page by page (awaited).
   */
  async subscribe(
    scope: EventScope,
    afterId: number | null,
    replay: (events: LiveEvent[]) => Promise<void> | void,
    listener: (event: LiveEvent) => void,
    signal?: AbortSignal,
  ): Promise<() => void> {
    const key = scopeKey(scope);
    let joined = false;
    await this.catchUp(scope, afterId, {
      page: replay,
      emit: listener,
      join: () => {
        this.#listeners.on(key, listener);
        joined = true;
      },
      ...(signal ? { signal } : {}),
    });
    return () => {
      if (joined) {
        this.#listeners.off(key, listener);
      }
    };
  }
}
