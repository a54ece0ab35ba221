import { newId } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { AppError, ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInnerContext, type ServiceDeps } from '../../context';
import { runDailyJobs } from '../../jobs/daily';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { actOnPool, createPool } from '../pools/pools-service';
import { runScheduledTransitions } from '../pools/scheduler';
import { ingestModelWebhook } from '../webhooks/ingest';
import { secretKey, sign } from '../webhooks/signature';
import { cancelInvestment, invest } from './investments';
import { accounts, balanceOf, checkLedger } from './ledger';
import { deposit, subscribe } from './payments';
import { previewSettlement, settlePool } from './settlement';
import { decideWithdrawal, requestWithdrawal } from './withdrawals';

const HOUR = 3_600_000;
const WEBHOOK_SECRET = 'whsec_dGVzdC1tb2RlbC13ZWJob29rLXNlY3JldC0zMmJ5dGVz';

describeEachDialect('money', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let manager: TestUser;
  let admin: TestUser;

  const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();

  async function newPool(overrides: Record<string, unknown> = {}) {
    return createPool(manager.ctx, {
      name: 'Money pool',
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 1_000,
      startDate: at(1),
      endDate: at(2),
      settleDate: at(3),
      ...overrides,
    });
  }

  async function investor(cents = 100_000, subscribed = true) {
    const user = await createTestUser(deps, 'INVESTOR');
    if (subscribed) {
      await subscribe(user.ctx);
    }
    if (cents > 0) {
      await deposit(user.ctx, cents);
    }
    return user;
  }

  const cash = (user: TestUser) => balanceOf(deps.database, deps.database.db, accounts.cash(user.id).id);
  const held = (user: TestUser) => balanceOf(deps.database, deps.database.db, accounts.held(user.id).id);

  async function expectBalanced() {
    const check = await checkLedger(deps.database);
    expect(check, JSON.stringify(check)).toMatchObject({
      balanced: true,
      totalCents: 0,
      negative: [],
      mismatched: [],
    });
  }

  async function toSettling(poolId: string) {
    clock.advance(4 * HOUR);
    await runScheduledTransitions(deps);
    const { pools } = deps.database.schema;
    const [pool] = await deps.database.db.select().from(pools).where(eq(pools.id, poolId));
    expect(pool?.status).toBe('SETTLING');
  }

  /**
   * The model reports cumulative PnL through the real signed webhook: since capital accounting a pool's value is
   * capital + reported PnL, so a test that wants a given final equity reports the PnL that produces it.
   */
  async function reportPnl(poolId: string, realizedCents: number) {
    const body = JSON.stringify({
      event: 'pnl_update',
      poolId,
      data: { realizedPnl: (realizedCents / 100).toFixed(2), unrealizedPnl: '0' },
    });
    const id = `msg_${newId()}`;
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const answer = await ingestModelWebhook(deps, {
      id,
      timestamp: String(timestamp),
      signature: `v1,${sign(secretKey(WEBHOOK_SECRET), id, timestamp, body)}`,
      body,
      bytes: body.length,
      ip: null,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  }

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), {
      clock,
      config: { modelWebhook: { initialSecret: WEBHOOK_SECRET, pinnedSecret: WEBHOOK_SECRET } },
    });
    manager = await createTestUser(deps, 'MANAGER');
    admin = await createTestUser(deps, 'ADMIN');
  });
  beforeEach(() => {
    clock.advance(24 * HOUR);
  });

  describe('subscription and deposits', () => {
    it('a demo deposit credits the wallet; the subscription extends one calendar month from the later of now and expiry', async () => {
      const user = await createTestUser(deps, 'INVESTOR');
      expect(await deposit(user.ctx, 12_345)).toEqual({ balanceCents: 12_345 });
      const first = await subscribe(user.ctx);
      const expiry = new Date(String((first as { subscriptionExpiresAt: string }).subscriptionExpiresAt));
      const second = await subscribe(user.ctx);
      const later = new Date(String((second as { subscriptionExpiresAt: string }).subscriptionExpiresAt));
      expect(later.getTime()).toBeGreaterThan(expiry.getTime() + 27 * 24 * HOUR);
      expect(await balanceOf(deps.database, deps.database.db, accounts.revenue.id)).toBeGreaterThanOrEqual(
        400,
      );
      await expectBalanced();
    });

    it('refuses to invest without an active subscription: 403 SUBSCRIPTION_REQUIRED, nothing changes', async () => {
      const user = await investor(50_000, false);
      const pool = await newPool();
      await expect(invest(user.ctx, { poolId: pool.id, amountCents: 5_000 })).rejects.toMatchObject({
        code: 'SUBSCRIPTION_REQUIRED',
        message: 'Subscription required',
      });
      expect(await cash(user)).toBe(50_000);
    });

    it('daily jobs: flags follow expiry, one reminder per period, auto-renewal from the wallet', async () => {
      const user = await investor(1_000);
      const { users, mailOutbox } = deps.database.schema;
      await deps.database.transaction(async (tx) => {
        await tx.update(users).set({ autoRenew: false }).where(eq(users.id, user.id));
      });
      clock.advance(28 * 24 * HOUR);
      await runDailyJobs(deps);
      await runDailyJobs(deps);
      const reminders = await deps.database.db
        .select()
        .from(mailOutbox)
        .where(eq(mailOutbox.kind, 'subscription_reminder'));
      expect(reminders.filter((m) => m.toAddress === user.email)).toHaveLength(1);
      clock.advance(5 * 24 * HOUR);
      await runDailyJobs(deps);
      const [expired] = await deps.database.db.select().from(users).where(eq(users.id, user.id));
      expect(expired?.hasActiveSubscription).toBe(false);

      await deps.database.transaction(async (tx) => {
        await tx.update(users).set({ autoRenew: true }).where(eq(users.id, user.id));
      });
      await runDailyJobs(deps);
      const [renewed] = await deps.database.db.select().from(users).where(eq(users.id, user.id));
      expect(renewed?.hasActiveSubscription).toBe(true);
      expect(await cash(user)).toBe(800);
      await expectBalanced();
    });
  });

  describe('investing', () => {
    it('mints shares at NAV 1.000000 while PENDING and moves cash to the pool capital', async () => {
      const user = await investor();
      const pool = await newPool();
      const investment = await invest(user.ctx, { poolId: pool.id, amountCents: 25_050 });
      expect(investment).toMatchObject({ amountCents: 25_050, shares: '250.500000', status: 'ACTIVE' });
      expect(await cash(user)).toBe(100_000 - 25_050);
      expect(await balanceOf(deps.database, deps.database.db, accounts.capital(pool.id).id)).toBe(25_050);
      await expectBalanced();
    });

    it('refuses below the minimum, above the capacity, beyond the balance, and closed pools, each with its reason', async () => {
      const user = await investor(30_000);
      const pool = await newPool({ targetAmountCents: 20_000, minInvestmentCents: 5_000 });
      await expect(invest(user.ctx, { poolId: pool.id, amountCents: 4_999 })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        fields: { amountCents: expect.any(String) },
      });
      await expect(invest(user.ctx, { poolId: pool.id, amountCents: 20_001 })).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'CAPACITY_EXCEEDED' },
      });
      const rich = await newPool({ targetAmountCents: 1_000_000 });
      await expect(invest(user.ctx, { poolId: rich.id, amountCents: 30_001 })).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'INSUFFICIENT_FUNDS' },
      });
      await actOnPool(manager.ctx, rich.id, 'cancel');
      await expect(invest(user.ctx, { poolId: rich.id, amountCents: 5_000 })).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'POOL_NOT_OPEN' },
      });
      await expect(invest(user.ctx, { poolId: 'nope', amountCents: 5_000 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await cash(user)).toBe(30_000);
      await expectBalanced();
    });

    it('20 concurrent investments over the capacity and the balance: the excess is refused, nothing overfills', async () => {
      const pool = await newPool({ targetAmountCents: 50_000, minInvestmentCents: 1_000 });
      const users = await Promise.all(Array.from({ length: 4 }, () => investor(30_000)));
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          invest((users[i % 4] as TestUser).ctx, { poolId: pool.id, amountCents: 7_000 }),
        ),
      );
      const ok = attempts.filter((a) => a.status === 'fulfilled').length;
      for (const failure of attempts.filter((a) => a.status === 'rejected')) {
        expect(failure.reason).toBeInstanceOf(AppError);
        expect(['CAPACITY_EXCEEDED', 'INSUFFICIENT_FUNDS']).toContain(
          (failure.reason as AppError).details?.reason,
        );
      }
      expect(ok).toBe(7);
      const { pools } = deps.database.schema;
      const [after] = await deps.database.db.select().from(pools).where(eq(pools.id, pool.id));
      expect(after?.raisedCents).toBe(49_000);
      for (const user of users) {
        expect(await cash(user)).toBeGreaterThanOrEqual(0);
      }
      await expectBalanced();
    });

    it('refuses to mint absurd share counts when the NAV has collapsed towards zero', async () => {
      const user = await investor();
      const pool = await newPool();
      await invest(user.ctx, { poolId: pool.id, amountCents: 10_000 });
      const { pools } = deps.database.schema;
      await deps.database.transaction(async (tx) => {
        await tx.update(pools).set({ equityCents: 1 }).where(eq(pools.id, pool.id));
      });
      await expect(invest(user.ctx, { poolId: pool.id, amountCents: 10_000 })).rejects.toMatchObject({
        details: { reason: 'NAV_COLLAPSED' },
      });
    });

    it('cancel while PENDING refunds; a cancelled pool refunds everyone', async () => {
      const [a, b] = await Promise.all([investor(20_000), investor(20_000)]);
      if (!a || !b) {
        throw new Error('setup');
      }
      const pool = await newPool();
      const mine = await invest(a.ctx, { poolId: pool.id, amountCents: 5_000 });
      await invest(b.ctx, { poolId: pool.id, amountCents: 7_000 });
      await expect(cancelInvestment(b.ctx, mine.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await cancelInvestment(a.ctx, mine.id)).status).toBe('CANCELLED');
      expect(await cash(a)).toBe(20_000);
      const cancelled = await actOnPool(manager.ctx, pool.id, 'cancel');
      expect(cancelled).toMatchObject({ status: 'CANCELLED', raisedCents: 0, investorCount: 0 });
      expect(await cash(b)).toBe(20_000);
      await expectBalanced();
    });
  });

  describe('idempotency', () => {
    it('one key sent 50 times at once: one effect, identical answers; another body under it: 409, nothing written', async () => {
      const user = await investor(100_000);
      const pool = await newPool();
      const ctx = createInnerContext(deps, { user: user.ctx.user, idempotencyKey: 'same-key' });
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => invest(ctx, { poolId: pool.id, amountCents: 2_000 }, 'same-key')),
      );
      for (const answer of answers) {
        expect(answer).toEqual(answers[0]);
      }
      expect(await cash(user)).toBe(98_000);
      await expect(invest(ctx, { poolId: pool.id, amountCents: 3_000 }, 'same-key')).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await cash(user)).toBe(98_000);
      await expectBalanced();
    });
  });

  describe('withdrawals', () => {
    it('holds on request; approve then mark paid sends it out; reject and cancel give it back', async () => {
      const user = await investor(10_000);
      const w = await requestWithdrawal(user.ctx, 4_000);
      expect(w.status).toBe('REQUESTED');
      expect([await cash(user), await held(user)]).toEqual([6_000, 4_000]);
      await expect(
        decideWithdrawal(admin.ctx, w.id, { action: 'markPaid', reference: 'BANK-1' }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await decideWithdrawal(admin.ctx, w.id, { action: 'approve' })).status).toBe('APPROVED');
      expect(
        (await decideWithdrawal(admin.ctx, w.id, { action: 'markPaid', reference: 'BANK-1' })).status,
      ).toBe('PAID');
      expect([await cash(user), await held(user)]).toEqual([6_000, 0]);

      const r = await requestWithdrawal(user.ctx, 1_000);
      expect(
        (await decideWithdrawal(admin.ctx, r.id, { action: 'reject', reason: 'Bank details missing' }))
          .reason,
      ).toBe('Bank details missing');
      const c = await requestWithdrawal(user.ctx, 2_000);
      const other = await investor(0);
      await expect(decideWithdrawal(other.ctx, c.id, { action: 'cancel' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await decideWithdrawal(user.ctx, c.id, { action: 'cancel' })).status).toBe('CANCELLED');
      expect([await cash(user), await held(user)]).toEqual([6_000, 0]);
      await expectBalanced();
    });

    it('20 concurrent requests over the balance: the excess is refused, never a negative balance', async () => {
      const user = await investor(10_000);
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, () => requestWithdrawal(user.ctx, 3_000)),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(3);
      expect([await cash(user), await held(user)]).toEqual([1_000, 9_000]);
      await expectBalanced();
    });

    it('concurrent approve/approve and approve/reject resolve exactly once with one posting', async () => {
      const user = await investor(10_000);
      const w1 = await requestWithdrawal(user.ctx, 1_000);
      const both = await Promise.allSettled([
        decideWithdrawal(admin.ctx, w1.id, { action: 'approve' }),
        decideWithdrawal(admin.ctx, w1.id, { action: 'approve' }),
      ]);
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const w2 = await requestWithdrawal(user.ctx, 1_000);
      const race = await Promise.allSettled([
        decideWithdrawal(admin.ctx, w2.id, { action: 'approve' }),
        decideWithdrawal(admin.ctx, w2.id, { action: 'reject', reason: 'Changed my mind' }),
        decideWithdrawal(user.ctx, w2.id, { action: 'cancel' }),
      ]);
      const wins = race.filter((r) => r.status === 'fulfilled');
      expect(wins.length).toBeGreaterThanOrEqual(1);
      const { ledgerTransfers } = deps.database.schema;
      const releases = (await deps.database.db.select().from(ledgerTransfers)).filter((t) =>
        t.idempotencyKey.startsWith(`withdraw:${w2.id}:release`),
      );
      expect(releases.length).toBeLessThanOrEqual(1);
      await expectBalanced();
    });
  });

  describe('settlement', () => {
    it('pays out at the final equity less the fee on profit; payouts plus fees equal the equity; capital ends at zero', async () => {
      const [a, b, c] = await Promise.all([investor(), investor(), investor()]);
      if (!a || !b || !c) {
        throw new Error('setup');
      }
      const pool = await newPool();
      await invest(a.ctx, { poolId: pool.id, amountCents: 10_000 });
      await invest(b.ctx, { poolId: pool.id, amountCents: 20_000 });
      await invest(c.ctx, { poolId: pool.id, amountCents: 3_333 });
      await toSettling(pool.id);
      // The final equity is the reported one: capital 33,333 + realized PnL 16,668 = 50,001.
      await reportPnl(pool.id, 16_668);
      const preview = await previewSettlement(manager.ctx, pool.id);
      expect(preview.finalEquityCents).toBe(50_001);
      expect(preview.payouts.reduce((s, p) => s + p.payoutCents, 0) + preview.feesCents).toBe(50_001);
      const revenueBefore = await balanceOf(deps.database, deps.database.db, accounts.revenue.id);
      const done = await settlePool(manager.ctx, pool.id);
      expect(done).toEqual(preview);
      expect(await balanceOf(deps.database, deps.database.db, accounts.capital(pool.id).id)).toBe(0);
      expect((await balanceOf(deps.database, deps.database.db, accounts.revenue.id)) - revenueBefore).toBe(
        preview.feesCents,
      );
      expect(await cash(a)).toBe(100_000 - 10_000 + (preview.payouts[0]?.payoutCents ?? 0));
      await expect(settlePool(manager.ctx, pool.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      await expectBalanced();
    });

    it('a failure between two legs rolls everything back; the retry settles once', async () => {
      const [a, b] = await Promise.all([investor(), investor()]);
      if (!a || !b) {
        throw new Error('setup');
      }
      const pool = await newPool();
      await invest(a.ctx, { poolId: pool.id, amountCents: 10_000 });
      await invest(b.ctx, { poolId: pool.id, amountCents: 10_000 });
      await toSettling(pool.id);
      // A reported loss of 5,000 on capital 20,000: the final equity is 15,000.
      await reportPnl(pool.id, -5_000);
      const before = [await cash(a), await cash(b)];
      await expect(
        settlePool(manager.ctx, pool.id, {}, (step) => {
          if (step === 'after-payout-0') {
            throw new Error('power cut between payouts');
          }
        }),
      ).rejects.toThrow('power cut');
      expect([await cash(a), await cash(b)]).toEqual(before);
      expect(await balanceOf(deps.database, deps.database.db, accounts.capital(pool.id).id)).toBe(20_000);
      await expectBalanced();
      await settlePool(manager.ctx, pool.id);
      expect((await cash(a)) + (await cash(b))).toBe((before[0] ?? 0) + (before[1] ?? 0) + 15_000);
      await expectBalanced();
    });
  });

  /**
   * The shadow model's own settlement, written from CONTRACT §6 and not from the code under test: every investment
   * here was made while the pool was PENDING (NAV 1), so holdings weigh by their cents; the final equity is split in
   * proportion, floors first, then the leftover cents one each to the largest remainders (earliest holding on a tie);
   * the fee is the pool's rate on a holding's profit only, rounded down. Payouts plus fees equal the final equity.
   */
  function shadowPayouts(finalEquity: number, cents: number[], feeBps: number) {
    const total = cents.reduce((sum, c) => sum + c, 0);
    if (total === 0) {
      return { payouts: [] as number[], feesCents: 0 };
    }
    const gross = cents.map((c) => Math.floor((finalEquity * c) / total));
    let left = finalEquity - gross.reduce((sum, g) => sum + g, 0);
    const byRemainder = cents
      .map((c, i) => ({ i, remainder: (finalEquity * c) % total }))
      .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
    for (const { i } of byRemainder) {
      if (left === 0) {
        break;
      }
      gross[i] = (gross[i] ?? 0) + 1;
      left--;
    }
    const fees = cents.map((c, i) => {
      const profit = (gross[i] ?? 0) - c;
      return profit > 0 ? Math.floor((profit * feeBps) / 10_000) : 0;
    });
    const payouts = gross.map((g, i) => g - (fees[i] ?? 0));
    const feesCents = fees.reduce((sum, f) => sum + f, 0);
    expect(payouts.reduce((sum, p) => sum + p, 0) + feesCents).toBe(finalEquity);
    return { payouts, feesCents };
  }

  it('random sequences of money operations keep the books balanced and match a shadow model', async () => {
    type Op =
      | { kind: 'deposit'; user: number; cents: number }
      | { kind: 'invest'; user: number; pool: number; cents: number }
      | { kind: 'cancelInvestment'; index: number }
      | { kind: 'withdraw'; user: number; cents: number }
      | { kind: 'decide'; index: number; action: 'approve' | 'reject' | 'markPaid' | 'cancel' };
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('deposit' as const),
        user: fc.nat(2),
        cents: fc.integer({ min: 1, max: 20_000 }),
      }),
      fc.record({
        kind: fc.constant('invest' as const),
        user: fc.nat(2),
        pool: fc.nat(1),
        cents: fc.integer({ min: 500, max: 15_000 }),
      }),
      fc.record({ kind: fc.constant('cancelInvestment' as const), index: fc.nat(20) }),
      fc.record({
        kind: fc.constant('withdraw' as const),
        user: fc.nat(2),
        cents: fc.integer({ min: 1, max: 15_000 }),
      }),
      fc.record({
        kind: fc.constant('decide' as const),
        index: fc.nat(20),
        action: fc.constantFrom('approve', 'reject', 'markPaid', 'cancel') as fc.Arbitrary<
          'approve' | 'reject' | 'markPaid' | 'cancel'
        >,
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 5, maxLength: 25 }),
        fc.integer({ min: 0, max: 80_000 }),
        async (ops: Op[], finalEquity) => {
          clock.advance(30 * 24 * HOUR);
          const users = await Promise.all([investor(0), investor(0), investor(0)]);
          const pools = [
            await newPool({ targetAmountCents: 40_000 }),
            await newPool({ targetAmountCents: 40_000 }),
          ];
          const model = { cash: [0, 0, 0], held: [0, 0, 0], raised: [0, 0] };
          const investments: { id: string; user: number; pool: number; cents: number; active: boolean }[] =
            [];
          const withdrawals: { id: string; user: number; cents: number; status: string }[] = [];
          for (const step of ops) {
            if (step.kind === 'deposit') {
              await deposit((users[step.user] as TestUser).ctx, step.cents);
              model.cash[step.user] = (model.cash[step.user] ?? 0) + step.cents;
            } else if (step.kind === 'invest') {
              const ok =
                (model.cash[step.user] ?? 0) >= step.cents &&
                (model.raised[step.pool] ?? 0) + step.cents <= 40_000 &&
                step.cents >= 1_000;
              const attempt = invest((users[step.user] as TestUser).ctx, {
                poolId: (pools[step.pool] as { id: string }).id,
                amountCents: step.cents,
              });
              if (ok) {
                const made = await attempt;
                investments.push({
                  id: made.id,
                  user: step.user,
                  pool: step.pool,
                  cents: step.cents,
                  active: true,
                });
                model.cash[step.user] = (model.cash[step.user] ?? 0) - step.cents;
                model.raised[step.pool] = (model.raised[step.pool] ?? 0) + step.cents;
              } else {
                await expect(attempt).rejects.toBeInstanceOf(AppError);
              }
            } else if (step.kind === 'cancelInvestment') {
              const target = investments[step.index % Math.max(1, investments.length)];
              if (target?.active) {
                await cancelInvestment((users[target.user] as TestUser).ctx, target.id);
                target.active = false;
                model.cash[target.user] = (model.cash[target.user] ?? 0) + target.cents;
                model.raised[target.pool] = (model.raised[target.pool] ?? 0) - target.cents;
              }
            } else if (step.kind === 'withdraw') {
              const attempt = requestWithdrawal((users[step.user] as TestUser).ctx, step.cents);
              if ((model.cash[step.user] ?? 0) >= step.cents) {
                withdrawals.push({
                  id: (await attempt).id,
                  user: step.user,
                  cents: step.cents,
                  status: 'REQUESTED',
                });
                model.cash[step.user] = (model.cash[step.user] ?? 0) - step.cents;
                model.held[step.user] = (model.held[step.user] ?? 0) + step.cents;
              } else {
                await expect(attempt).rejects.toBeInstanceOf(AppError);
              }
            } else {
              const target = withdrawals[step.index % Math.max(1, withdrawals.length)];
              if (!target) {
                continue;
              }
              const allowed: Record<string, string[]> = {
                approve: ['REQUESTED'],
                reject: ['REQUESTED', 'APPROVED'],
                markPaid: ['APPROVED'],
                cancel: ['REQUESTED'],
              };
              const ctx = step.action === 'cancel' ? (users[target.user] as TestUser).ctx : admin.ctx;
              const decision =
                step.action === 'reject'
                  ? { action: 'reject' as const, reason: 'model test' }
                  : step.action === 'markPaid'
                    ? { action: 'markPaid' as const, reference: 'REF-1' }
                    : { action: step.action };
              const attempt = decideWithdrawal(ctx, target.id, decision);
              if (allowed[step.action]?.includes(target.status)) {
                target.status = (await attempt).status;
                if (target.status === 'REJECTED' || target.status === 'CANCELLED') {
                  model.held[target.user] = (model.held[target.user] ?? 0) - target.cents;
                  model.cash[target.user] = (model.cash[target.user] ?? 0) + target.cents;
                } else if (target.status === 'PAID') {
                  model.held[target.user] = (model.held[target.user] ?? 0) - target.cents;
                }
              } else {
                await expect(attempt).rejects.toBeInstanceOf(AppError);
              }
            }
          }
          // Settle the first pool at a random final equity: payouts land in the wallets.
          const first = pools[0] as { id: string };
          await toSettling(first.id);
          await runScheduledTransitions(deps);
          // The model reports the PnL that takes the capital to the random final equity (a pool without capital
          // has nothing to report and settles at zero).
          const raised = model.raised[0] ?? 0;
          if (raised > 0) {
            await reportPnl(first.id, finalEquity - raised);
          }
          const plan = await settlePool(manager.ctx, first.id);
          expect(plan.finalEquityCents).toBe(raised > 0 ? finalEquity : 0);
          // The model settles by itself (never from the plan under test): each active holding of the first pool, in
          // the order it was made, gets its share of the final equity, less the fee on its profit.
          const { pools: poolsTable } = deps.database.schema;
          const [settled] = await deps.database.db
            .select()
            .from(poolsTable)
            .where(eq(poolsTable.id, first.id));
          const holdings = investments.filter((inv) => inv.pool === 0 && inv.active);
          const payouts = shadowPayouts(
            raised > 0 ? finalEquity : 0,
            holdings.map((h) => h.cents),
            settled?.performanceFeeBps ?? 0,
          );
          for (const [i, holding] of holdings.entries()) {
            model.cash[holding.user] = (model.cash[holding.user] ?? 0) + (payouts.payouts[i] ?? 0);
          }
          expect(plan.payouts).toHaveLength(holdings.length);
          expect(plan.feesCents).toBe(payouts.feesCents);
          for (const [i, user] of users.entries()) {
            expect(await cash(user)).toBe(model.cash[i]);
            expect(await held(user)).toBe(model.held[i]);
          }
          await expectBalanced();
        },
      ),
      { numRuns: 12 },
    );
    // A dozen generated histories on PGlite take tens of seconds on a busy machine.
  }, 180_000);
});
