import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../../context';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { poolView } from './pool-view';
import { createPool, findPool, listPools } from './pools-service';
import { runScheduledTransitions } from './scheduler';

const HOUR = 3_600_000;

describeEachDialect('pools.list', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let manager: TestUser;

  const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();
  const newPool = (name: string, startsIn: number) =>
    createPool(manager.ctx, {
      name,
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM',
      targetAmountCents: 5_000_000,
      minInvestmentCents: 10_000,
      startDate: at(startsIn),
      endDate: at(startsIn + 24),
      settleDate: at(startsIn + 48),
    });

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    manager = await createTestUser(deps, 'MANAGER');
  });

  it('the unfiltered list (a statement prepared once) sees every change and orders as the filtered one', async () => {
    const late = await newPool('Starts late', 72);
    const early = await newPool('Starts early', 24);
    expect((await listPools(deps, {})).map((p) => p.name)).toEqual(['Starts early', 'Starts late']);

    // Created, changed and moved after the statement was first used: the next call sees all of it.
    const middle = await newPool('Starts in between', 48);
    clock.advance(30 * HOUR);
    await runScheduledTransitions(deps);
    const all = await listPools(deps, {});
    expect(all.map((p) => [p.name, p.status])).toEqual([
      ['Starts early', 'ACTIVE'],
      ['Starts in between', 'PENDING'],
      ['Starts late', 'PENDING'],
    ]);
    expect(all.map((p) => p.id)).toEqual([early.id, middle.id, late.id]);

    // The filtered path (built per call) agrees with the prepared one on rows and order.
    expect(await listPools(deps, { status: ['ACTIVE', 'PENDING'] })).toEqual(all);
    expect(await listPools(deps, { status: ['PENDING'] })).toEqual(all.slice(1));
  });

  it('lists each pool as its whole view (every field), on the prepared and the filtered path alike', async () => {
    const traded = await newPool('Traded', 96);
    const { pools } = deps.database.schema;
    await deps.database.transaction(async (tx) => {
      await tx
        .update(pools)
        .set({
          status: 'ACTIVE',
          raisedCents: 3_000_000,
          capitalCents: 3_000_000,
          realizedPnlCents: 120_000,
          unrealizedPnlCents: -20_000,
          equityCents: 3_100_000,
          totalShares: 2_950_123_456,
          investorCount: 3,
          performanceFeeBps: 1500,
          modelStatus: { message: 'running', metrics: { sharpe: 1.2 } },
          lastHeartbeatAt: clock.now(),
          updatedAt: clock.advance(1000),
        })
        .where(eq(pools.id, traded.id));
    });
    const expected = poolView(await findPool(deps, traded.id));
    expect(expected.navPerShare).not.toBe('1.000000');
    for (const list of [await listPools(deps, {}), await listPools(deps, { status: ['ACTIVE'] })]) {
      expect(list.find((p) => p.id === traded.id)).toStrictEqual(expected);
      for (const listed of list) {
        expect(listed).toStrictEqual(poolView(await findPool(deps, listed.id)));
      }
    }
  });
});
