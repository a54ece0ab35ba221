import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock, STRATEGIES } from '@tradepool/domain';
import { and, eq, isNotNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createInnerContext } from '../context';
import { checkLedger } from '../services/money/ledger';
import { myStatements, walletTransactions } from '../services/money/statements';
import { listPools } from '../services/pools/pools-service';
import { runScheduledTransitions } from '../services/pools/scheduler';
import { testDeps } from '../testing';
import { DEMO_ACCOUNTS, seedDemoData } from './demo';

describeEachDialect('demo data', (suite) => {
  it('seeds the accounts, pools over the whole lifecycle, real money and NAV history, once, with balanced books', async () => {
    const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
    const deps = testDeps(suite.getDb(), { clock });
    await seedDemoData(deps);
    await seedDemoData(deps);
    const { users, pnlSnapshots } = deps.database.schema;
    const people = await deps.database.db.select().from(users);
    expect(people.map((u) => u.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    const pools = await listPools(deps, {});
    expect(new Set(pools.map((p) => p.strategy))).toEqual(new Set(STRATEGIES));
    expect(new Set(pools.map((p) => p.status))).toEqual(
      new Set(['ACTIVE', 'PENDING', 'PAUSED', 'CLOSED', 'SETTLED']),
    );
    expect((await checkLedger(deps.database)).balanced).toBe(true);

    // Momentum BTC trades real capital (raised while PENDING plus bob's investment while ACTIVE) with investors.
    const momentum = pools.find((p) => p.strategy === 'MOMENTUM_BTC');
    expect(momentum).toMatchObject({ status: 'ACTIVE', capitalCents: 750_000, investorCount: 2 });
    expect(Math.abs((momentum?.equityCents ?? 0) - 750_000)).toBeLessThan(150_000);
    // Days of history, each point with the NAV it produced: the first chart is a curve.
    const history = await deps.database.db
      .select()
      .from(pnlSnapshots)
      .where(and(eq(pnlSnapshots.poolId, momentum?.id ?? ''), isNotNull(pnlSnapshots.navMicros)));
    expect(history.length).toBeGreaterThan(24);
    expect(new Set(history.map((h) => h.navMicros)).size).toBeGreaterThan(10);

    // Alice's statements: the settled pool paid out with a fee, to the cent; the others are worth about what she put in.
    const alice = people.find((u) => u.email === 'alice@tradepool.dev');
    const ctx = createInnerContext(deps, {
      user: {
        id: alice?.id ?? '',
        email: alice?.email ?? '',
        role: 'INVESTOR',
        sessionId: 's',
        expiresAt: new Date(clock.now().getTime() + 60_000),
        pendingTotpEnrollment: false,
      },
    });
    const statements = await myStatements(ctx);
    expect(statements).toHaveLength(4);
    const settled = statements.find((s) => s.status === 'SETTLED');
    expect(settled?.investedCents).toBe(500_000);
    expect(settled?.feeCents).toBeGreaterThan(0);
    expect((settled?.payoutCents ?? 0) + (settled?.feeCents ?? 0)).toBe(settled?.valueCents);
    const transactions = await walletTransactions(ctx, { limit: 50 });
    expect(transactions.items.map((t) => t.kind)).toContain('PAYOUT');

    // A minute later the scheduler activates Swing ETH, with the capital alice put in.
    expect(await runScheduledTransitions(deps)).toEqual({ activated: 0, closed: 0, settling: 0 });
    clock.advance(61_000);
    expect(await runScheduledTransitions(deps)).toEqual({ activated: 1, closed: 0, settling: 0 });
    const swing = (await listPools(deps, { strategy: 'SWING_ETH' })).find((p) => p.status !== 'SETTLED');
    expect(swing).toMatchObject({ status: 'ACTIVE', capitalCents: 150_000 });
  });
});
