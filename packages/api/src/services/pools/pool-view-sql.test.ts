import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock, type PoolStatus } from '@tradepool/domain';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../../context';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { poolView } from './pool-view';
import { actOnPool, createPool } from './pools-service';
import { runScheduledTransitions } from './scheduler';

const HOUR = 3_600_000;

/**
 * The `pool:update` events of status changes are built by the database (`poolViewJsonSql`); these compare every one
 * with what `poolView` makes of the stored row, for values where SQL and JavaScript could differ: text to escape,
 * instants with milliseconds and before 1970, a NAV whose equity × 10^10 passes 64 bits, no shares at all.
 */
describeEachDialect('pool:update events built in SQL', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00.000Z'));
  let deps: ServiceDeps;
  let manager: TestUser;

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    manager = await createTestUser(deps, 'MANAGER');
  });

  /** A pool created now, then given stored values no API call would produce so quickly. */
  async function awkwardPool(name: string, stored: Record<string, unknown>) {
    const created = await createPool(manager.ctx, {
      name,
      description: 'Line one\nline "two" \\ tab\there \u0001 € 🚀 </script>',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'HIGH',
      targetAmountCents: 5_000_000,
      minInvestmentCents: 10_000,
      startDate: new Date(clock.now().getTime() + HOUR + 123).toISOString(),
      endDate: new Date(clock.now().getTime() + 2 * HOUR + 7).toISOString(),
      settleDate: new Date(clock.now().getTime() + 3 * HOUR + 999).toISOString(),
    });
    const { pools } = deps.database.schema;
    await deps.database.transaction(async (tx) => {
      await tx.update(pools).set(stored).where(eq(pools.id, created.id));
    });
    return created.id;
  }

  async function storedPool(id: string) {
    const { pools } = deps.database.schema;
    const [row] = await deps.database.db.select().from(pools).where(eq(pools.id, id));
    if (!row) {
      throw new Error(`pool ${id} missing`);
    }
    return row;
  }

  /** The pool's `pool:update` events after `afterId`: their payloads, and on SQLite the JSON text as stored. */
  async function eventsAfter(poolId: string, afterId: number) {
    const { events } = deps.database.schema;
    const rows = await deps.database.db
      .select({ id: events.id, payload: events.payload })
      .from(events)
      .where(and(eq(events.poolId, poolId), gt(events.id, afterId)))
      .orderBy(asc(events.id));
    const texts =
      deps.database.dialect === 'sqlite'
        ? (
            (await (
              deps.database.db as unknown as { all(query: unknown): Promise<{ payload: string }[]> }
            ).all(
              sql`select payload from events where pool_id = ${poolId} and id > ${afterId} order by id`,
            )) ?? []
          ).map((r) => r.payload)
        : null;
    return { payloads: rows.map((r) => r.payload), texts };
  }

  async function lastEventId(): Promise<number> {
    const { events } = deps.database.schema;
    const [row] = await deps.database.db
      .select({ id: events.id })
      .from(events)
      .orderBy(sql`${events.id} desc`)
      .limit(1);
    return row?.id ?? 0;
  }

  function expectAnnounced(
    got: { payloads: unknown[]; texts: string[] | null },
    after: Awaited<ReturnType<typeof storedPool>>,
    moves: [PoolStatus, PoolStatus][],
  ) {
    const expected = moves.map(([from, to]) => ({
      pool: { ...poolView(after), status: to },
      previousStatus: from,
    }));
    expect(got.payloads).toStrictEqual(expected);
    if (got.texts) {
      // SQLite stores the text itself: the same bytes JSON.stringify writes, key order included.
      expect(got.texts).toEqual(expected.map((payload) => JSON.stringify(payload)));
    }
  }

  it('the scheduler announces each move with exactly the pool poolView makes of the stored row', async () => {
    const huge = await awkwardPool('Huge NAV "quoted" \\ pool', {
      raisedCents: 4_000_000_000_000,
      totalShares: 3_000_000_007,
      investorCount: 17,
      performanceFeeBps: 1234,
    });
    const empty = await awkwardPool('No shares', { raisedCents: 0, totalShares: 0 });
    const old = await awkwardPool('Before 1970', {
      startDate: new Date('1969-07-20T20:17:40.123Z'),
      endDate: new Date('1969-12-31T23:59:59.999Z'),
      settleDate: new Date('1970-01-01T00:00:00.001Z'),
      createdAt: new Date('1969-01-01T00:00:00.500Z'),
      raisedCents: 1,
      totalShares: 3,
    });
    // Either side of the largest equity whose × 10^10 fits 64 bits (SQLite computes those in integers).
    const edge = await awkwardPool('At the edge', { raisedCents: 922_337_203, totalShares: 7_000_001 });
    const beyond = await awkwardPool('Beyond the edge', { raisedCents: 922_337_204, totalShares: 7_000_001 });
    const since = await lastEventId();
    clock.advance(4 * HOUR);
    await runScheduledTransitions(deps);
    for (const id of [huge, empty, old, edge, beyond]) {
      const after = await storedPool(id);
      expect(after.status).toBe('SETTLING');
      expectAnnounced(await eventsAfter(id, since), after, [
        ['PENDING', 'ACTIVE'],
        ['ACTIVE', 'CLOSED'],
        ['CLOSED', 'SETTLING'],
      ]);
    }
    // The NAV really is one that 64-bit arithmetic would get wrong.
    expect((await storedPool(huge)).equityCents * 1e10).toBeGreaterThan(2 ** 63);
  });

  it('pools of one batch that walk different lengths of the chain are each announced once per move they made', async () => {
    const far = (hours: number) => new Date(clock.now().getTime() + hours * HOUR);
    const settles = await awkwardPool('Walks to SETTLING', { investorCount: 3 });
    const activates = await awkwardPool('Only activates', { endDate: far(100), settleDate: far(200) });
    const closes = await awkwardPool('Activates and closes', { settleDate: far(200) });
    const since = await lastEventId();
    clock.advance(4 * HOUR);
    await runScheduledTransitions(deps);
    const walks: [string, [PoolStatus, PoolStatus][]][] = [
      [activates, [['PENDING', 'ACTIVE']]],
      [
        closes,
        [
          ['PENDING', 'ACTIVE'],
          ['ACTIVE', 'CLOSED'],
        ],
      ],
      [
        settles,
        [
          ['PENDING', 'ACTIVE'],
          ['ACTIVE', 'CLOSED'],
          ['CLOSED', 'SETTLING'],
        ],
      ],
    ];
    for (const [id, moves] of walks) {
      expectAnnounced(await eventsAfter(id, since), await storedPool(id), moves);
    }
  });

  it("a person's action announces the pool the same way", async () => {
    const id = await awkwardPool('Published by hand', { totalShares: 999_999_999_999 });
    const since = await lastEventId();
    await actOnPool(manager.ctx, id, 'publish');
    const { pools } = deps.database.schema;
    await deps.database.transaction(async (tx) => {
      await tx.update(pools).set({ equityCents: 9_223_372_036_854 }).where(eq(pools.id, id));
    });
    const between = await lastEventId();
    await actOnPool(manager.ctx, id, 'pause');
    const paused = await storedPool(id);
    expectAnnounced(await eventsAfter(id, between), paused, [['ACTIVE', 'PAUSED']]);
    const published = (await eventsAfter(id, since)).payloads[0] as { pool: { status: string } };
    expect(published.pool.status).toBe('ACTIVE');
  });
});
