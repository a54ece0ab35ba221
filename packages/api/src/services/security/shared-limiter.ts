import { randomUUID } from 'node:crypto';
import type { Database } from '@tradepool/db';
import type { Clock } from '@tradepool/domain';
import { and, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { RateDecision } from './rate-limiter';

/** Where fixed-window counters live: this process's memory, or a table every process on one Postgres shares. */
export interface LimiterStore {
  /**
   * Adds `weight` hits to `key` in one atomic step and answers the count after it and when the window ends. A key
   * whose window has ended starts a new one of `windowMs` from `now`.
   */
  add(key: string, weight: number, windowMs: number, now: Date): Promise<{ count: number; resetAt: Date }>;
  /** Takes `weight` hits back (a successful sign-in gives its attempt back); never below zero. */
  refund(key: string, weight: number, now: Date): Promise<void>;
  /**
   * Takes one of `limit` slots of `key` free at `now` and holds it for `windowMs`: a sliding window, so at most `limit`
   * are taken in any `windowMs`, wherever a fixed window would have ended. Concurrent takes from any process get
   * distinct slots. Answers the slot taken (null when all are held) and when the first held one frees.
   */
  take(key: string, limit: number, windowMs: number, now: Date): Promise<TakenSlot>;
  /** Frees a slot `take` gave at once (a successful sign-in gives its attempt back). */
  release(slot: string): Promise<void>;
  /** Forgets windows that ended and slots that freed before `now`; answers how many. */
  prune(now: Date): Promise<number>;
}

export interface TakenSlot {
  slot: string | null;
  /** Slots held after this take. */
  held: number;
  /** When the first held slot frees (`now` when none is held). */
  firstFreeAt: Date;
}

/** A slot's stored key: the limit's key, `#`, and an id of `SLOT_ID_LENGTH` characters (a UUID). */
const SLOT_ID_LENGTH = 36;

/** Deletes the slots that freed by `at` (their instant has come); answers how many. */
function dropFreed(slots: Map<string, number>, at: number): number {
  let dropped = 0;
  for (const [slot, until] of slots) {
    if (until <= at) {
      slots.delete(slot);
      dropped++;
    }
  }
  return dropped;
}

/** One process (SQLite deployments, which are single-process by design). */
export class MemoryLimiterStore implements LimiterStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  /** Taken slots per key: when each frees. */
  readonly #slots = new Map<string, Map<string, number>>();
  #lastSweep = 0;

  async add(key: string, weight: number, windowMs: number, now: Date) {
    const at = now.getTime();
    this.#sweep(at);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= at) {
      window = { count: 0, resetAt: at + windowMs };
      this.#windows.set(key, window);
    }
    window.count += weight;
    return { count: window.count, resetAt: new Date(window.resetAt) };
  }

  async refund(key: string, weight: number, now: Date) {
    const window = this.#windows.get(key);
    if (window && window.resetAt > now.getTime()) {
      window.count = Math.max(0, window.count - weight);
    }
  }

  async take(key: string, limit: number, windowMs: number, now: Date): Promise<TakenSlot> {
    const at = now.getTime();
    this.#sweep(at);
    const slots = this.#slots.get(key) ?? new Map<string, number>();
    this.#slots.set(key, slots);
    dropFreed(slots, at);
    let taken: string | null = null;
    if (slots.size < limit) {
      taken = `${key}#${randomUUID()}`;
      slots.set(taken, at + windowMs);
    }
    let firstFree = Number.POSITIVE_INFINITY;
    for (const until of slots.values()) {
      firstFree = Math.min(firstFree, until);
    }
    return { slot: taken, held: slots.size, firstFreeAt: new Date(slots.size > 0 ? firstFree : at) };
  }

  async release(slot: string) {
    this.#slots.get(slot.slice(0, -SLOT_ID_LENGTH - 1))?.delete(slot);
  }

  async prune(now: Date) {
    let pruned = 0;
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now.getTime()) {
        this.#windows.delete(key);
        pruned++;
      }
    }
    for (const [key, slots] of this.#slots) {
      pruned += dropFreed(slots, now.getTime());
      if (slots.size === 0) {
        this.#slots.delete(key);
      }
    }
    return pruned;
  }

  // Bounded memory without a timer: at most once a minute, ended windows are dropped.
  #sweep(at: number) {
    if (at - this.#lastSweep >= 60_000) {
      this.#lastSweep = at;
      void this.prune(new Date(at));
    }
  }
}

/**
 * Counters in the `rate_limits` table, so every process on one Postgres enforces one limit (CONTRACT §9). Each hit is
 * a single `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock makes concurrent hits from any process count one
 * after another, so N concurrent attempts see counts 1…N and no check can be passed by racing it.
 */
export class SqlLimiterStore implements LimiterStore {
  constructor(private readonly database: Database) {}

  async add(key: string, weight: number, windowMs: number, now: Date) {
    const { rateLimits } = this.database.schema;
    const at = sql`${now.toISOString()}::timestamptz`;
    const resetAt = new Date(now.getTime() + windowMs);
    const ended = sql`${rateLimits.resetAt} <= ${at}`;
    const [row] = await this.database.db
      .insert(rateLimits)
      .values({ key, count: weight, resetAt })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${ended} then ${weight}::integer else ${rateLimits.count} + ${weight}::integer end`,
          resetAt: sql`case when ${ended} then ${resetAt.toISOString()}::timestamptz else ${rateLimits.resetAt} end`,
        },
      })
      .returning({ count: rateLimits.count, resetAt: rateLimits.resetAt });
    if (!row) {
      throw new Error(`rate limit counter ${key} was not written`);
    }
    return row;
  }

  async refund(key: string, weight: number, now: Date) {
    const { rateLimits } = this.database.schema;
    await this.database.db
      .update(rateLimits)
      .set({ count: sql`greatest(${rateLimits.count} - ${weight}::integer, 0)` })
      .where(sql`${rateLimits.key} = ${key} and ${rateLimits.resetAt} > ${now.toISOString()}::timestamptz`);
  }

  /** Takes of one key from this process, chained in the order they were asked for (see `take`). */
  readonly #queues = new Map<string, Promise<unknown>>();

  /**
   * A slot is a row `<key>#<uuid>` whose `reset_at` is when it frees. The key's own row is upserted first, in one
   * transaction with the rest: its row lock makes concurrent takes of one key from any process run one after
   * another, and its `reset_at` keeps it from being pruned while slots may be held. Then freed slots are deleted, the
   * held ones counted, and a new one inserted if fewer than `limit` are held.
   */
  take(key: string, limit: number, windowMs: number, now: Date): Promise<TakenSlot> {
    // Attempts of one process are served in the order they arrived (the right password sent after nine wrong ones in
    // one batch is refused), not in whichever order their transactions reach the key's row lock.
    const run = (this.#queues.get(key) ?? Promise.resolve()).then(() =>
      this.#take(key, limit, windowMs, now),
    );
    const settled = run.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) {
        this.#queues.delete(key);
      }
    });
    return run;
  }

  async #take(key: string, limit: number, windowMs: number, now: Date): Promise<TakenSlot> {
    const { rateLimits } = this.database.schema;
    const until = new Date(now.getTime() + windowMs);
    const prefix = `${key}#`;
    const slotsOfKey = and(
      gt(rateLimits.key, prefix),
      lt(rateLimits.key, `${key}$`),
      sql`length(${rateLimits.key}) = ${prefix.length + SLOT_ID_LENGTH}`,
    );
    return this.database.transaction(async (tx) => {
      await tx
        .insert(rateLimits)
        .values({ key, count: 0, resetAt: until })
        .onConflictDoUpdate({ target: rateLimits.key, set: { resetAt: until } });
      await tx.delete(rateLimits).where(and(slotsOfKey, lte(rateLimits.resetAt, now)));
      const [held] = await tx
        .select({
          count: sql<number>`count(*)::integer`,
          first: sql<string | null>`min(${rateLimits.resetAt})`,
        })
        .from(rateLimits)
        .where(slotsOfKey);
      const count = held?.count ?? 0;
      const first = held?.first ? new Date(held.first) : null;
      if (count >= limit) {
        return { slot: null, held: count, firstFreeAt: first ?? now };
      }
      const slot = `${prefix}${randomUUID()}`;
      await tx.insert(rateLimits).values({ key: slot, count: 1, resetAt: until });
      return { slot, held: count + 1, firstFreeAt: first && first < until ? first : until };
    });
  }

  async release(slot: string) {
    const { rateLimits } = this.database.schema;
    await this.database.db.delete(rateLimits).where(eq(rateLimits.key, slot));
  }

  async prune(now: Date) {
    const { rateLimits } = this.database.schema;
    const gone = await this.database.db
      .delete(rateLimits)
      .where(lt(rateLimits.resetAt, now))
      .returning({ key: rateLimits.key });
    return gone.length;
  }
}

/** Postgres (any number of processes) shares counters in its table; SQLite keeps them in memory. */
export function createLimiterStore(database: Database): LimiterStore {
  return database.dialect === 'postgres' ? new SqlLimiterStore(database) : new MemoryLimiterStore();
}

/** A named limit over a store: `limit` per `windowMs` per key, under its own name so limits never share a count. */
abstract class StoredLimit {
  constructor(
    protected readonly store: LimiterStore,
    protected readonly clock: Clock,
    readonly name: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /**
   * The stored key. The limit is part of it: processes configured alike share one count, and a process configured
   * with another limit (a config change rolling out, a test server) never reads a count meant for another.
   */
  protected storedKey(key: string): string {
    return `${this.name}/${this.limit}:${key}`;
  }

  /** Seconds from `now` until `at`, at least one: what `Retry-After` says. */
  protected secondsUntil(at: Date, now: Date): number {
    return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
  }
}

/**
 * A fixed-window limit: `limit` hits per window of `windowMs` that starts at the first hit. Hits are counted before
 * the work they guard (a refused hit counts too, which only keeps an attacker out longer), and `refund` gives one back
 * when the guarded work turned out to be legitimate.
 */
export class SharedRateLimiter extends StoredLimit {
  async hit(key: string, weight = 1): Promise<RateDecision> {
    const now = this.clock.now();
    const { count, resetAt } = await this.store.add(this.storedKey(key), weight, this.windowMs, now);
    const allowed = count <= this.limit;
    return {
      allowed,
      retryAfterSec: allowed ? 0 : this.secondsUntil(resetAt, now),
      remaining: Math.max(0, this.limit - count),
    };
  }

  async refund(key: string, weight = 1): Promise<void> {
    await this.store.refund(this.storedKey(key), weight, this.clock.now());
  }
}

/** A sliding-window decision: when allowed, `release` gives the attempt back. */
export interface SlotDecision extends RateDecision {
  release(): Promise<void>;
}

/**
 * A sliding-window limit: at most `limit` hits in any `windowMs` per key (CONTRACT §8's "ever … in 15 minutes" for
 * password checks), where a fixed window lets twice the limit through around its end. Each allowed hit holds a slot
 * for `windowMs`; a refused one holds nothing. On Postgres a held slot is a row of its own.
 */
export class SlidingRateLimiter extends StoredLimit {
  async hit(key: string): Promise<SlotDecision> {
    const now = this.clock.now();
    const { slot, held, firstFreeAt } = await this.store.take(
      this.storedKey(key),
      this.limit,
      this.windowMs,
      now,
    );
    return {
      allowed: slot !== null,
      retryAfterSec: slot !== null ? 0 : this.secondsUntil(firstFreeAt, now),
      remaining: Math.max(0, this.limit - held),
      release: slot === null ? async () => {} : () => this.store.release(slot),
    };
  }
}

/** RATE_LIMIT_PER_MIN per client IP: API requests, each call of a tRPC batch, and socket.io handshakes alike. */
export function requestsPerIpLimiter(
  deps: { limiterStore: LimiterStore; clock: Clock },
  perMinute: number,
): SharedRateLimiter {
  return new SharedRateLimiter(deps.limiterStore, deps.clock, 'requests-ip', perMinute, 60_000);
}

/** The most calls one tRPC batch may carry (CONTRACT §8). */
export const MAX_TRPC_BATCH_CALLS = 10;
