import { randomUUID } from 'node:crypto';
import type { User } from '@tradepool/db';
import { ManualClock } from '@tradepool/domain';
import { createInnerContext, type ServiceDeps, type SessionUser } from '../context';
import { invest } from '../services/money/investments';
import { deposit, subscribe } from '../services/money/payments';
import { settlePool } from '../services/money/settlement';
import { runScheduledTransitions } from '../services/pools/scheduler';
import { ingestModelWebhook } from '../services/webhooks/ingest';
import { ensureInitialSecret, validKeys } from '../services/webhooks/secrets';
import { secretKey, sign } from '../services/webhooks/signature';
import type { DemoPoolKey } from './demo-pools';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoPeople {
  manager: User;
  alice: User;
  bob: User;
}

/** A small deterministic generator, so every `pnpm dev` database tells the same story. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * Brings the demo pools to life through the real services, replaying the last two weeks on a clock of its own:
 * alice and bob subscribe and fund their wallets, invest in pools while PENDING (and bob once more while ACTIVE), the
 * scheduler activates, closes and moves pools to settling, the model's cumulative PnL arrives through the signed
 * webhook every few hours (so the NAV chart starts as a curve), and the manager settles the autumn pool, paying out
 * with fees. Every cent goes through the ledger, so `/admin/ledger/check` balances from the first start.
 */
export async function seedDemoMoney(
  base: ServiceDeps,
  people: DemoPeople,
  pools: Record<DemoPoolKey, string>,
): Promise<void> {
  if (base.config.paymentProvider !== 'demo') {
    // With Stripe, money comes in only through a real checkout: the demo leaves the wallets empty.
    base.log.info('demo data: PAYMENT_PROVIDER is not demo, so no demo investments are seeded');
    return;
  }
  const end = base.clock.now().getTime();
  const clock = new ManualClock(end - 13 * DAY);
  const deps: ServiceDeps = { ...base, clock };
  await ensureInitialSecret(deps);
  const as = (user: User) => {
    const session: SessionUser = {
      id: user.id,
      email: user.email,
      role: user.role,
      sessionId: 'demo-seed',
      expiresAt: new Date(end + HOUR),
      pendingTotpEnrollment: false,
    };
    return createInnerContext(deps, { user: session });
  };
  const alice = as(people.alice);
  const bob = as(people.bob);
  const random = lcg(20_261_124);

  /** One signed `pnl_update`, stamped now on the demo clock, through the same path as the real model's. */
  const report = async (poolId: string, realizedCents: number, unrealizedCents: number) => {
    const { signing } = await validKeys(deps);
    if (!signing) {
      return;
    }
    const at = clock.now();
    const body = JSON.stringify({
      event: 'pnl_update',
      poolId,
      data: {
        realizedPnl: (realizedCents / 100).toFixed(2),
        unrealizedPnl: (unrealizedCents / 100).toFixed(2),
        at: at.toISOString(),
      },
    });
    const id = `demo_${randomUUID()}`;
    const timestamp = Math.floor(at.getTime() / 1000);
    const answer = await ingestModelWebhook(deps, {
      id,
      timestamp: String(timestamp),
      signature: `v1,${sign(secretKey(signing), id, timestamp, body)}`,
      body,
      bytes: Buffer.byteLength(body),
      ip: null,
    });
    if (answer.status !== 202) {
      base.log.warn({ poolId, answer: answer.body }, 'demo data: a PnL report was refused');
    }
  };

  /**
   * Reports every `stepMs` until `until`: a random walk of a few percent a day on the pool's value, drifting by
   * `dailyDrift`. Part of the open result is realized now and then, as a model closing positions would.
   */
  const walks = new Map<string, { total: number; realized: number }>();
  const trade = async (
    poolId: string,
    capitalCents: number,
    until: number,
    stepMs: number,
    dailyDrift: number,
  ) => {
    // Cumulative since the pool started trading: a later stretch continues from where the last one stopped.
    const walk = walks.get(poolId) ?? { total: 0, realized: 0 };
    walks.set(poolId, walk);
    const days = stepMs / DAY;
    while (clock.now().getTime() + stepMs <= until) {
      clock.advance(stepMs);
      const u = 1 - random();
      const gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
      const step = gauss * 0.02 * Math.sqrt(days) + dailyDrift * days;
      walk.total = Math.max(-capitalCents, walk.total + Math.round((capitalCents + walk.total) * step));
      if (random() < 0.25) {
        walk.realized += Math.round((walk.total - walk.realized) * 0.5);
      }
      await report(poolId, walk.realized, walk.total - walk.realized);
    }
  };

  // Two weeks ago: both subscribe and fund their wallets.
  await subscribe(alice);
  await subscribe(bob);
  await deposit(alice, 2_500_000);
  await deposit(bob, 1_500_000);

  // The autumn pool: raised while PENDING, trades a week, closes, and the manager settles it at its reported equity.
  clock.set(end - 12 * DAY + HOUR);
  await invest(alice, { poolId: pools.settled, amountCents: 500_000 });
  await invest(bob, { poolId: pools.settled, amountCents: 300_000 });
  clock.set(end - 11 * DAY);
  await runScheduledTransitions(deps);
  await trade(pools.settled, 800_000, end - 4 * DAY, 6 * HOUR, 0.01);

  // Momentum BTC raises its first capital; the autumn pool closes.
  clock.set(end - 4 * DAY + HOUR);
  await invest(alice, { poolId: pools.momentum, amountCents: 400_000 });
  await invest(bob, { poolId: pools.momentum, amountCents: 250_000 });
  clock.set(end - 4 * DAY + 2 * HOUR);
  await runScheduledTransitions(deps);

  // Momentum BTC starts trading; the autumn pool reaches its settle date and is settled.
  clock.set(end - 3 * DAY);
  await runScheduledTransitions(deps);
  await settlePool(as(people.manager), pools.settled);
  await trade(pools.momentum, 650_000, end - DAY, 2 * HOUR, 0.004);
  // Bob adds to it while it trades: he buys at the NAV of the moment, which his money does not move.
  clock.advance(10 * 60_000);
  await invest(bob, { poolId: pools.momentum, amountCents: 100_000 });
  await trade(pools.momentum, 750_000, end - 5 * 60_000, 2 * HOUR, 0.004);

  // Today: both commit to the pools that open soon.
  clock.set(end);
  await invest(alice, { poolId: pools.swing, amountCents: 150_000 });
  await invest(bob, { poolId: pools.neutral, amountCents: 200_000 });
  await invest(alice, { poolId: pools.neutral, amountCents: 100_000 });
}
