import { newId } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../../context';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { createPool } from '../pools/pools-service';
import { listInvestments } from './list-investments';

describeEachDialect('investments.list', (suite) => {
  const clock = new ManualClock(new Date('2026-11-28T12:00:00Z'));
  let deps: ServiceDeps;
  let investor: TestUser;
  let other: TestUser;
  let poolId: string;

  const insert = async (user: TestUser, amountCents: number) => {
    const { investments } = deps.database.schema;
    const at = clock.advance(1000);
    const id = newId();
    await deps.database.transaction(async (tx) => {
      await tx.insert(investments).values({
        id,
        userId: user.id,
        poolId,
        amountCents,
        shares: amountCents * 10_000,
        status: 'ACTIVE',
        createdAt: at,
        updatedAt: at,
      });
    });
    return id;
  };

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    const manager = await createTestUser(deps, 'MANAGER');
    investor = await createTestUser(deps, 'INVESTOR');
    other = await createTestUser(deps, 'INVESTOR');
    const at = (hours: number) => new Date(clock.now().getTime() + hours * 3_600_000).toISOString();
    poolId = (
      await createPool(manager.ctx, {
        name: 'Listed',
        description: '',
        strategy: 'MOMENTUM_BTC',
        pair: 'BTC/USDT',
        riskLevel: 'MEDIUM',
        targetAmountCents: 5_000_000,
        minInvestmentCents: 100,
        startDate: at(24),
        endDate: at(48),
        settleDate: at(72),
      })
    ).id;
  });

  it('the newest page (a statement prepared once) sees later investments, honours each limit and agrees with the cursor pages', async () => {
    const ids = [await insert(investor, 100), await insert(other, 200), await insert(investor, 300)];
    expect((await listInvestments(investor.ctx)).items.map((i) => i.id)).toEqual([ids[2], ids[0]]);

    // Written after the statement was first used, and another user's: the next call sees exactly the caller's.
    const later = await insert(investor, 400);
    await insert(other, 500);
    const newest = await listInvestments(investor.ctx);
    expect(newest.items.map((i) => i.id)).toEqual([later, ids[2], ids[0]]);
    expect(newest.nextCursor).toBeNull();
    expect(newest.items[0]).toStrictEqual({
      id: later,
      poolId,
      amountCents: 400,
      shares: '4.000000',
      status: 'ACTIVE',
      payoutCents: null,
      feeCents: null,
      // Inserted one second before the other user's last row.
      createdAt: new Date(clock.now().getTime() - 1000).toISOString(),
    });

    // Page by page (the first prepared, the rest built per call) gives the same rows in the same order.
    const first = await listInvestments(investor.ctx, { limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([later, ids[2]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listInvestments(investor.ctx, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await listInvestments(other.ctx, { limit: 1 })).items).toHaveLength(1);
  });
});
