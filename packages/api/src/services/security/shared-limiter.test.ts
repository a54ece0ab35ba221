import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLimiterStore,
  type LimiterStore,
  MemoryLimiterStore,
  SharedRateLimiter,
  SlidingRateLimiter,
  SqlLimiterStore,
} from './shared-limiter';

/**
 * The limiter stores: memory for one process (SQLite), the `rate_limits` table for every process on one Postgres.
 * On the real Postgres (TEST_DATABASE_URL) the concurrent hits run over two connection pools at once.
 */
describeEachDialect('shared rate limiter', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let second: Database;
  let stores: [LimiterStore, LimiterStore];

  beforeAll(async () => {
    const url = suite.getUrl();
    second = url ? await createDatabase(url, { poolSize: 5 }) : suite.getDb();
    if (suite.dialect === 'postgres') {
      stores = [new SqlLimiterStore(suite.getDb()), new SqlLimiterStore(second)];
    } else {
      const memory = new MemoryLimiterStore();
      stores = [memory, memory];
    }
  });
  afterAll(async () => {
    if (second !== suite.getDb()) {
      await second.close();
    }
  });

  it('picks the table on Postgres and memory on SQLite', () => {
    const store = createLimiterStore(suite.getDb());
    expect(store).toBeInstanceOf(suite.dialect === 'postgres' ? SqlLimiterStore : MemoryLimiterStore);
  });

  it('keeps the Postgres table UNLOGGED: a hit costs no write-ahead-log flush', async () => {
    if (suite.driver() !== 'postgres') {
      return;
    }
    const result = await suite
      .getDb()
      .db.execute(sql`select relpersistence from pg_class where relname = 'rate_limits'`);
    expect((result as unknown as { rows: Array<{ relpersistence: string }> }).rows[0]?.relpersistence).toBe(
      'u',
    );
  });

  it('counts 40 concurrent hits from two handles one after another: exactly the limit is allowed', async () => {
    const limiters = stores.map((store) => new SharedRateLimiter(store, clock, 'test-burst', 7, 60_000));
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (limiters[i % 2] as SharedRateLimiter).hit('203.0.113.9')),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    const remaining = decisions.map((d) => d.remaining).sort((x, y) => x - y);
    expect(remaining.slice(-7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const refused of decisions.filter((d) => !d.allowed)) {
      expect(refused.retryAfterSec).toBeGreaterThan(0);
      expect(refused.retryAfterSec).toBeLessThanOrEqual(60);
    }
  });

  it('weights, refunds, a new window after the old one ends, and keys of other limits apart', async () => {
    const [store] = stores;
    const limiter = new SharedRateLimiter(store, clock, 'test-weights', 10, 60_000);
    expect((await limiter.hit('k', 10)).allowed).toBe(true);
    expect((await limiter.hit('k')).allowed).toBe(false);
    await limiter.refund('k', 2);
    expect((await limiter.hit('k')).allowed).toBe(true);
    // Another limit (name or size) never shares the counter.
    expect((await new SharedRateLimiter(store, clock, 'test-other', 10, 60_000).hit('k')).remaining).toBe(9);
    expect((await new SharedRateLimiter(store, clock, 'test-weights', 20, 60_000).hit('k')).remaining).toBe(
      19,
    );
    clock.advance(60_000);
    const fresh = await limiter.hit('k');
    expect(fresh).toMatchObject({ allowed: true, remaining: 9 });
    // A refund never goes below zero, and refunding an ended window does nothing.
    await limiter.refund('k', 50);
    expect((await limiter.hit('k')).remaining).toBe(9);
  });

  it('sliding window: 40 concurrent hits from eight handles take exactly the limit of slots', async () => {
    // A store serves its own process's takes of one key in order, so concurrency between processes is what can race:
    // on Postgres eight stores (as eight processes would) over two connection pools.
    const handles =
      suite.dialect === 'postgres'
        ? Array.from({ length: 8 }, (_, i) => new SqlLimiterStore(i % 2 === 0 ? suite.getDb() : second))
        : stores;
    const limiters = handles.map(
      (store) => new SlidingRateLimiter(store, clock, 'test-slide-burst', 7, 60_000),
    );
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (limiters[i % limiters.length] as SlidingRateLimiter).hit('203.0.113.9'),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
    for (const refused of decisions.filter((d) => !d.allowed)) {
      expect(refused.retryAfterSec).toBeGreaterThan(0);
      expect(refused.retryAfterSec).toBeLessThanOrEqual(60);
    }
    // A released slot is free again at once; a refused decision's release frees nothing.
    await decisions.find((d) => !d.allowed)?.release();
    expect((await (limiters[0] as SlidingRateLimiter).hit('203.0.113.9')).allowed).toBe(false);
    await decisions.find((d) => d.allowed)?.release();
    expect((await (limiters[1] as SlidingRateLimiter).hit('203.0.113.9')).allowed).toBe(true);
    expect((await (limiters[0] as SlidingRateLimiter).hit('203.0.113.9')).allowed).toBe(false);
  });

  it('sliding window: at most the limit in any window, wherever a fixed window would have ended', async () => {
    const [store] = stores;
    const limiter = new SlidingRateLimiter(store, clock, 'test-slide', 3, 60_000);
    expect((await limiter.hit('k')).allowed).toBe(true);
    clock.advance(50_000);
    expect((await limiter.hit('k')).allowed).toBe(true);
    expect((await limiter.hit('k')).allowed).toBe(true);
    expect(await limiter.hit('k')).toMatchObject({ allowed: false, retryAfterSec: 10, remaining: 0 });
    // The first hit is a minute old: one slot frees, the two of second 50 hold theirs for 50 more seconds.
    clock.advance(10_000);
    expect(await limiter.hit('k')).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.hit('k')).toMatchObject({ allowed: false, retryAfterSec: 50 });
    clock.advance(50_000);
    expect(await limiter.hit('k')).toMatchObject({ allowed: true, remaining: 1 });
    // Other limits never share slots.
    expect((await new SlidingRateLimiter(store, clock, 'test-slide', 4, 60_000).hit('k')).remaining).toBe(3);
  });

  it('sliding window: a large limit stores only the slots held, and pruning forgets them once freed', async () => {
    const [store] = stores;
    const limiter = new SlidingRateLimiter(store, clock, 'test-slide-large', 50_000, 60_000);
    const first = await limiter.hit('k');
    await limiter.hit('k');
    expect(first).toMatchObject({ allowed: true, remaining: 49_999 });
    await first.release();
    expect((await limiter.hit('k')).remaining).toBe(49_998);
    if (suite.dialect === 'postgres') {
      const { rateLimits } = suite.getDb().schema;
      const rows = await suite
        .getDb()
        .db.select({ key: rateLimits.key })
        .from(rateLimits)
        .where(sql`${rateLimits.key} like 'test-slide-large/%'`);
      // The key's own row and its two held slots.
      expect(rows).toHaveLength(3);
    }
    clock.advance(60_001);
    // Both slots, and on Postgres the key's own row.
    expect(await store.prune(clock.now())).toBeGreaterThanOrEqual(suite.dialect === 'postgres' ? 3 : 2);
    expect((await limiter.hit('k')).remaining).toBe(49_999);
  });

  it('prunes ended windows only', async () => {
    const [store] = stores;
    const short = new SharedRateLimiter(store, clock, 'test-prune-short', 5, 60_000);
    const long = new SharedRateLimiter(store, clock, 'test-prune-long', 5, 60 * 60_000);
    await short.hit('a');
    await long.hit('a');
    clock.advance(2 * 60_000);
    expect(await store.prune(clock.now())).toBeGreaterThanOrEqual(1);
    // The long window survived: its count goes on.
    expect((await long.hit('a')).remaining).toBe(3);
    expect((await short.hit('a')).remaining).toBe(4);
  });
});

describe('MemoryLimiterStore', () => {
  it('keeps its counters per instance', async () => {
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    const one = new SharedRateLimiter(new MemoryLimiterStore(), clock, 'x', 1, 1_000);
    const two = new SharedRateLimiter(new MemoryLimiterStore(), clock, 'x', 1, 1_000);
    expect((await one.hit('k')).allowed).toBe(true);
    expect((await two.hit('k')).allowed).toBe(true);
    expect((await one.hit('k')).allowed).toBe(false);
  });
});
