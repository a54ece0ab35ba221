import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock, STRATEGIES } from '@tradepool/domain';
import { expect, it } from 'vitest';
import { listPools } from '../services/pools/pools-service';
import { runScheduledTransitions } from '../services/pools/scheduler';
import { testDeps } from '../testing';
import { DEMO_ACCOUNTS, seedDemoData } from './demo';

describeEachDialect('demo data', (suite) => {
  it('seeds the demo accounts and one pool per strategy over the lifecycle, once', async () => {
    const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
    const deps = testDeps(suite.getDb(), { clock });
    await seedDemoData(deps);
    await seedDemoData(deps);
    const { users } = deps.database.schema;
    const emails = (await deps.database.db.select({ email: users.email }).from(users)).map((u) => u.email);
    expect(emails.sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    const pools = await listPools(deps, {});
    expect(pools.map((p) => p.strategy).sort()).toEqual([...STRATEGIES].sort());
    expect(new Set(pools.map((p) => p.status))).toEqual(new Set(['ACTIVE', 'PENDING', 'PAUSED', 'CLOSED']));
    // The scheduler has nothing to do yet; a minute later it activates the Swing ETH pool.
    expect(await runScheduledTransitions(deps)).toEqual({ activated: 0, closed: 0, settling: 0 });
    clock.advance(61_000);
    expect(await runScheduledTransitions(deps)).toEqual({ activated: 1, closed: 0, settling: 0 });
    expect((await listPools(deps, { strategy: 'SWING_ETH' }))[0]?.status).toBe('ACTIVE');
  });
});
