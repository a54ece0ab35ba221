import { describeEachDialect } from '@tradepool/db/testing';
import { AppError, ManualClock } from '@tradepool/domain';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../../context';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { invest } from '../money/investments';
import { deposit, subscribe } from '../money/payments';
import { actOnPool, createPool, updatePool } from './pools-service';

const HOUR = 3_600_000;

/**
 * What a MANAGER gains from the pool operations (issue 10 review): a manager who holds shares in a pool must not
 * control when it ends (its end and settle dates, pausing and resuming it), the same conflict of interest that bars a
 * holder from settling it (CONTRACT §6). Someone without shares in it still may.
 */
describeEachDialect('pool operations by a holder', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let holder: TestUser;
  let other: TestUser;
  const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    holder = await createTestUser(deps, 'MANAGER');
    other = await createTestUser(deps, 'MANAGER');
    await subscribe(holder.ctx);
    await deposit(holder.ctx, 100_000);
  });

  async function heldPool() {
    const pool = await createPool(other.ctx, {
      name: 'Held by its manager',
      description: '',
      strategy: 'SWING_ETH',
      pair: 'ETH/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(48),
      settleDate: at(72),
    });
    await actOnPool(other.ctx, pool.id, 'publish');
    await invest(holder.ctx, { poolId: pool.id, amountCents: 5_000 });
    return pool;
  }

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it('refuses a holder changing the end or settle date (403), changing nothing', async () => {
    const pool = await heldPool();
    const early = await refusal(updatePool(holder.ctx, { id: pool.id, endDate: at(2) }));
    expect(early.code).toBe('FORBIDDEN');
    expect(early.message).toMatch(/hold shares/);
    expect((await refusal(updatePool(holder.ctx, { id: pool.id, settleDate: at(500) }))).code).toBe(
      'FORBIDDEN',
    );
    // Cosmetic fields stay editable; someone without shares may still move the dates.
    expect((await updatePool(holder.ctx, { id: pool.id, description: 'Updated' })).description).toBe(
      'Updated',
    );
    const moved = await updatePool(other.ctx, { id: pool.id, endDate: at(24) });
    expect(moved.endDate).toBe(at(24));
  });

  it('refuses a holder pausing or resuming the pool (403); another manager may', async () => {
    const pool = await heldPool();
    expect((await refusal(actOnPool(holder.ctx, pool.id, 'pause'))).code).toBe('FORBIDDEN');
    expect((await actOnPool(other.ctx, pool.id, 'pause')).status).toBe('PAUSED');
    expect((await refusal(actOnPool(holder.ctx, pool.id, 'resume'))).code).toBe('FORBIDDEN');
    expect((await actOnPool(other.ctx, pool.id, 'resume')).status).toBe('ACTIVE');
  });
});
