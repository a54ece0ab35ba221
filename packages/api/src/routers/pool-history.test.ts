import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../context';
import { actOnPool, createPool } from '../services/pools/pools-service';
import { createCaller, createTestUser, type TestUser, testDeps } from '../testing';

describeEachDialect('pools.history hides staff addresses from investors', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let manager: TestUser;
  let admin: TestUser;
  let investor: TestUser;
  let poolId: string;

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    manager = await createTestUser(deps, 'MANAGER');
    admin = await createTestUser(deps, 'ADMIN');
    investor = await createTestUser(deps, 'INVESTOR');
    const at = (h: number) => new Date(clock.now().getTime() + h * 3_600_000).toISOString();
    const pool = await createPool(manager.ctx, {
      name: 'History',
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(10),
      endDate: at(20),
      settleDate: at(30),
    });
    poolId = pool.id;
    await actOnPool(admin.ctx, poolId, 'publish');
  });

  it('an investor sees who acted only as "a manager" (actorEmail null), never an e-mail address', async () => {
    const history = await createCaller(investor.ctx).pools.history({ id: poolId });
    expect(history.map((h) => h.toStatus)).toEqual(['PENDING', 'ACTIVE']);
    for (const entry of history) {
      expect(entry.actorEmail).toBeNull();
    }
    expect(JSON.stringify(history)).not.toContain('@');
  });

  it('an ADMIN (and a MANAGER) still see who acted', async () => {
    for (const viewer of [admin, manager]) {
      const history = await createCaller(viewer.ctx).pools.history({ id: poolId });
      expect(history.map((h) => h.actorEmail)).toEqual([manager.email, admin.email]);
    }
  });
});
