import { randomUUID } from 'node:crypto';
import { type Db, forUpdate } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { count, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import type { ServiceDeps } from '../../context';
import { publishedPool, testDeps } from '../../testing';
import { type StoreOutcome, storeVerifiedDelivery, type VerifiedDelivery } from './ingest';

/**
 * The store step of the model webhook on its own: the webhook-id is claimed in the effects' transaction and records
 * the event they produced; a repeated id is answered as a duplicate with that event whatever happened meanwhile.
 */
describeEachDialect('model webhook store step', (suite) => {
  let deps: ServiceDeps;
  let store: (delivery: VerifiedDelivery) => Promise<StoreOutcome>;
  let poolId: string;

  beforeAll(async () => {
    deps = testDeps(suite.getDb());
    store = (delivery) => storeVerifiedDelivery({ ...deps, bus: { notify() {} } }, delivery);
    poolId = await publishedPool(deps, 'Store step');
  });

  const trade = (pool: string, tradeId: string, id = `msg_${randomUUID()}`): VerifiedDelivery => {
    const body = JSON.stringify({
      event: 'trade_executed',
      poolId: pool,
      data: { tradeId, side: 'BUY', symbol: 'BTC/USDT', quantity: '1', price: '45000' },
    });
    return { body, signedAt: deps.clock.now(), id, ip: '127.0.0.1', bytes: body.length };
  };

  const stored = async (tradeId: string) => {
    const { trades, events } = deps.database.schema;
    const db = deps.database.db;
    const [tradeRows] = await db.select({ n: count() }).from(trades).where(eq(trades.externalId, tradeId));
    const [eventRows] = await db.select({ n: count() }).from(events).where(eq(events.poolId, poolId));
    return { trades: tradeRows?.n, events: eventRows?.n };
  };

  it('claims the webhook-id with the event it produced; a repeat is a duplicate with that event, even once the pool has stopped trading', async () => {
    const pool = await publishedPool(deps, 'Stops trading');
    const first = trade(pool, `stops-${randomUUID()}`);
    const accepted = await store(first);
    expect(accepted).toMatchObject({ kind: 'stored', duplicate: false, eventId: expect.any(String) });
    const eventId = accepted.kind === 'stored' ? accepted.eventId : null;
    const { webhookMessages, pools } = deps.database.schema;
    const [claim] = await deps.database.db
      .select()
      .from(webhookMessages)
      .where(eq(webhookMessages.webhookId, first.id ?? ''));
    expect(claim).toMatchObject({ poolId: pool, eventType: 'trade_executed', eventId });

    await deps.database.transaction(async (tx) => {
      await tx.update(pools).set({ status: 'SETTLED' }).where(eq(pools.id, pool));
    });
    expect(await store(first)).toEqual({ kind: 'stored', duplicate: true, eventId });
    const fresh = await store(trade(pool, `stops-${randomUUID()}`));
    expect(fresh).toMatchObject({ kind: 'refused', error: { code: 'CONFLICT' } });
  });

  it('applies a webhook-id delivered twice at once exactly once; the other delivery is answered as a duplicate with its event', async () => {
    const tradeId = `race-${randomUUID()}`;
    const delivery = trade(poolId, tradeId);
    const before = await stored(tradeId);
    // Hold the pool (Postgres: its row lock; SQLite: the write connection) so that both deliveries are under way
    // before either commits: on Postgres both wait on a lock (the first for the pool, the second for the first's
    // claim), so the second learns of the claim only once the first has committed.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { pools } = deps.database.schema;
    const blocker = deps.database.transaction(async (tx: Db) => {
      await forUpdate(tx.select({ id: pools.id }).from(pools).where(eq(pools.id, poolId)));
      await held;
    });
    const outcomes = Promise.all([store(delivery), store(delivery)]);
    if (suite.driver() === 'postgres') {
      await vi.waitFor(
        async () => {
          const rows = await deps.database.db.execute(
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          expect((rows as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(2);
        },
        { timeout: 10_000 },
      );
    }
    release();
    await blocker;
    const [a, b] = await outcomes;
    const winner = [a, b].find((o) => o?.kind === 'stored' && !o.duplicate);
    const loser = [a, b].find((o) => o?.kind === 'stored' && o.duplicate);
    expect(winner).toBeDefined();
    expect(loser).toEqual({
      kind: 'stored',
      duplicate: true,
      eventId: winner?.kind === 'stored' ? winner.eventId : 'none',
    });
    const after = await stored(tradeId);
    expect(after.trades).toBe(1);
    expect((after.events ?? 0) - (before.events ?? 0)).toBe(1);
    const { webhookMessages } = deps.database.schema;
    const claims = await deps.database.db
      .select()
      .from(webhookMessages)
      .where(eq(webhookMessages.webhookId, delivery.id ?? ''));
    expect(claims).toEqual([
      expect.objectContaining({ eventId: winner?.kind === 'stored' ? winner.eventId : 'none' }),
    ]);
  });
});
