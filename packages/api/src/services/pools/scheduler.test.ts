import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createTestUser, testDeps } from '../../testing';
import { createPool } from './pools-service';
import { runScheduledTransitions } from './scheduler';

const HOUR = 3_600_000;

describeEachDialect('scheduler batches', (suite) => {
  /** Deps on a manual clock, and a PENDING pool per name whose start, end and settle are 1, 2 and 3 hours away. */
  async function duePools(names: readonly string[]) {
    const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
    const deps = testDeps(suite.getDb(), { clock });
    const manager = await createTestUser(deps, 'MANAGER');
    const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();
    const ids: string[] = [];
    for (const name of names) {
      const dates = { startDate: at(1), endDate: at(2), settleDate: at(3) };
      const fields = { strategy: 'SWING_ETH', pair: 'ETH/USDT', riskLevel: 'LOW' } as const;
      const money = { targetAmountCents: 100_000, minInvestmentCents: 1_000 };
      ids.push((await createPool(manager.ctx, { name, description: '', ...fields, ...money, ...dates })).id);
    }
    return { clock, deps, ids };
  }

  /** The moves announced for `ids` after their creation, in the order of the events. */
  async function announcedMoves(deps: ReturnType<typeof testDeps>, ids: string[]) {
    const { events } = deps.database.schema;
    const stored = await deps.database.db
      .select({ poolId: events.poolId, payload: events.payload })
      .from(events)
      .where(and(eq(events.type, 'pool:update'), inArray(events.poolId, ids)))
      .orderBy(asc(events.id));
    return stored
      .map((e) => ({ poolId: e.poolId, status: (e.payload as { pool: { status: string } }).pool.status }))
      .filter((e) => e.status !== 'PENDING');
  }

  it('walks each pool of a batch to the end of its chain in that batch, before the next batch', async () => {
    const { clock, deps, ids } = await duePools(['Batch one', 'Batch two', 'Batch three']);
    clock.advance(4 * HOUR);
    expect(await runScheduledTransitions(deps, { batchSize: 1 })).toEqual({
      activated: 3,
      closed: 3,
      settling: 3,
    });
    const moves = await announcedMoves(deps, ids);
    // One batch, one pool: its three moves, then the next pool's (one update takes a pool to SETTLING).
    expect(moves.map((e) => e.status)).toEqual(Array(3).fill(['ACTIVE', 'CLOSED', 'SETTLING']).flat());
    for (const start of [0, 3, 6]) {
      const pools = new Set(moves.slice(start, start + 3).map((e) => e.poolId));
      expect(pools.size).toBe(1);
    }
  });

  it("numbers a tick's timeline rows in the order of its moves, then of the update's rows, each id unique", async () => {
    const { clock, deps, ids } = await duePools(Array.from({ length: 20 }, (_, n) => `Timeline ${n}`));
    clock.advance(4 * HOUR);
    await runScheduledTransitions(deps);
    const { poolStatusHistory: history } = deps.database.schema;
    const rows = await deps.database.db
      .select({ id: history.id, poolId: history.poolId, status: history.toStatus, at: history.at })
      .from(history)
      .where(and(inArray(history.poolId, ids), eq(history.trigger, 'SCHEDULER')))
      .orderBy(asc(history.at), asc(history.id));
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.id)).size).toBe(60);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.at).toEqual(clock.now());
    }
    // The events announce the same moves in the same order: the timeline reads as the announcements went out.
    const moves = await announcedMoves(deps, ids);
    expect(rows.map((r) => ({ poolId: r.poolId, status: r.status }))).toEqual(moves);
    expect(moves.map((m) => m.status)).toEqual(
      ['ACTIVE', 'CLOSED', 'SETTLING'].flatMap((status) => Array(20).fill(status)),
    );
  });
});
