import { randomUUID } from 'node:crypto';
import { actOnPool, createInnerContext, createPool, rotateSecret } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { type DialectSuite, describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJzLTEyMzQ1Njc4OQ==';

/**
 * The suite runs once per dialect with deliveries stored in the server's own thread, and once more on SQLite with
 * them stored by the write worker thread (WEBHOOK_WORKER, the production default there): same answers, same rows.
 */
const modelWebhookSuite = (worker: boolean) => (suite: DialectSuite) => {
  const WORKER = worker ? 'on' : 'off';
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let activePool: string;
  let otherPool: string;
  let pendingPool: string;
  let investorToken: string;

  function signed(
    body: string,
    options: { secret?: string; id?: string; at?: Date; signature?: string } = {},
  ) {
    const id = options.id ?? `msg_${randomUUID()}`;
    const at = options.at ?? clock.now();
    const signature = options.signature ?? new Webhook(options.secret ?? SECRET).sign(id, at, body);
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    };
  }

  async function post(body: string, headers: Record<string, string>) {
    const res = await fetch(`${server.url}/api/v1/webhook/model`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const send = (payload: unknown, options: Parameters<typeof signed>[1] = {}) => {
    const body = JSON.stringify(payload);
    return post(body, signed(body, options));
  };

  const trade = (poolId: string, extra: Record<string, unknown> = {}) => ({
    event: 'trade_executed',
    poolId,
    data: { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price: 45000, ...extra },
  });

  async function counts() {
    const db = suite.getDb();
    const { trades, events, positions, pnlSnapshots } = db.schema;
    return {
      trades: (await db.db.select().from(trades)).length,
      events: (await db.db.select().from(events)).length,
      positions: (await db.db.select().from(positions)).length,
      pnl: (await db.db.select().from(pnlSnapshots)).length,
    };
  }

  async function lastDelivery() {
    const { webhookDeliveries } = suite.getDb().schema;
    const rows = await suite.getDb().db.select().from(webhookDeliveries);
    return rows
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id))
      .at(-1);
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { MODEL_WEBHOOK_SECRET: SECRET, RATE_LIMIT_PER_MIN: '100000', WEBHOOK_WORKER: WORKER },
    });
    const manager = await createTestUser(server.services, 'MANAGER');
    const investor = await createTestUser(server.services, 'INVESTOR');
    investorToken = investor.accessToken;
    const at = (h: number) => new Date(clock.now().getTime() + h * 3_600_000).toISOString();
    const base = {
      strategy: 'MOMENTUM_BTC' as const,
      pair: 'BTC/USDT',
      riskLevel: 'HIGH' as const,
      description: '',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(1000),
      settleDate: at(1001),
    };
    activePool = (
      await actOnPool(
        manager.ctx,
        (
          await createPool(manager.ctx, { ...base, name: 'Trading' })
        ).id,
        'publish',
      )
    ).id;
    // Since capital accounting, PnL is judged against the capital the pool had: this pool trades $10,000.
    const funded = await createPool(manager.ctx, { ...base, name: 'Other' });
    const backer = await createTestUser(server.services, 'INVESTOR');
    const as = { token: backer.accessToken };
    await call(server.url, 'POST', '/api/v1/auth/subscribe', as);
    await call(server.url, 'POST', '/api/v1/wallet/deposits', { ...as, body: { amountCents: 1_000_000 } });
    const invested = await call(server.url, 'POST', '/api/v1/investments', {
      ...as,
      body: { poolId: funded.id, amountCents: 1_000_000 },
    });
    expect(invested.status, JSON.stringify(invested.body)).toBe(201);
    otherPool = (await actOnPool(manager.ctx, funded.id, 'publish')).id;
    pendingPool = (await createPool(manager.ctx, { ...base, name: 'Not yet' })).id;
    // Reports below are stamped up to 200 s in the past: after the activation.
    clock.advance(10 * 60_000);
  });
  afterAll(async () => {
    await server.close();
  });

  it('accepts the seed payload with 202 after storing the trade, and broadcasts it to that pool room only', async () => {
    const watcher = await openSocket(server.url, investorToken);
    const bystander = await openSocket(server.url, investorToken);
    try {
      expect(await watcher.emitWithAck('pool:subscribe', { poolId: activePool })).toEqual({ ok: true });
      expect(await bystander.emitWithAck('pool:subscribe', { poolId: otherPool })).toEqual({ ok: true });
      const heard: unknown[] = [];
      bystander.on('trade:executed', (e: unknown) => heard.push(e));
      const received = new Promise<{ id: string; poolId: string; data: Record<string, unknown> }>((resolve) =>
        watcher.once('trade:executed', resolve),
      );
      const body = `{"event":"trade_executed","poolId":"${activePool}","data":{"side":"BUY","quantity":1,"symbol":"BTC/USDT","price":45000}}`;
      const res = await post(body, signed(body));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: true, id: expect.any(String) });
      const event = await received;
      expect(event).toMatchObject({ id: res.body.id, type: 'trade:executed', poolId: activePool });
      expect(event.data).toMatchObject({ side: 'BUY', symbol: 'BTC/USDT', quantity: '1', price: '45000' });
      await server.services.events.drain();
      expect(heard).toEqual([]);
      const { trades } = suite.getDb().schema;
      const stored = await suite.getDb().db.select().from(trades).where(eq(trades.poolId, activePool));
      expect(stored.at(-1)).toMatchObject({ side: 'BUY', quantity: '1', price: '45000' });
      expect((await lastDelivery())?.outcome).toBe('ACCEPTED');
    } finally {
      watcher.close();
      bystander.close();
    }
  });

  describe('signatures', () => {
    it.each([
      ['a wrong secret', () => signed(JSON.stringify(trade('x')), { secret: OTHER_SECRET })],
      ['a garbage signature', () => signed('', { signature: 'v1,AAAA' })],
      [
        'an unknown version',
        () => signed('', { signature: `v2,${new Webhook(SECRET).sign('id', clock.now(), '').slice(3)}` }),
      ],
    ])('refuses %s with 401 and stores only a delivery-log row', async (_name, makeHeaders) => {
      const before = await counts();
      const body = JSON.stringify(trade(activePool));
      const res = await post(body, { ...makeHeaders(), 'webhook-id': `msg_${randomUUID()}` });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
      expect(await counts()).toEqual(before);
      expect(await lastDelivery()).toMatchObject({ outcome: 'REFUSED', httpStatus: 401 });
    });

    it('refuses missing headers and a re-serialised body', async () => {
      const before = await counts();
      const body = JSON.stringify(trade(activePool));
      const headers = signed(body);
      for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
        const partial = { ...headers } as Record<string, string>;
        delete partial[missing];
        expect((await post(body, partial)).status).toBe(401);
      }
      // Same JSON, other bytes: the signature covers the raw body, not its meaning.
      expect((await post(JSON.stringify(JSON.parse(body), null, 2), headers)).status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it('accepts any matching signature of several, and refuses timestamps more than 5 minutes off either way', async () => {
      const body = JSON.stringify(trade(activePool));
      const good = signed(body);
      const several = { ...good, 'webhook-signature': `v1,bm90LXRoaXMtb25l ${good['webhook-signature']}` };
      expect((await post(body, several)).status).toBe(202);
      for (const offset of [-301, 301]) {
        const res = await post(body, signed(body, { at: new Date(clock.now().getTime() + offset * 1000) }));
        expect(res.status, `offset ${offset}`).toBe(401);
        expect(String(res.body.message)).toContain('5 minutes');
      }
      for (const offset of [-299, 299]) {
        expect(
          (await post(body, signed(body, { at: new Date(clock.now().getTime() + offset * 1000) }))).status,
        ).toBe(202);
      }
    });
  });

  describe('bad input', () => {
    it('answers 413 above 256 KiB and 400 for deep nesting or malformed JSON, storing nothing', async () => {
      const before = await counts();
      const big = JSON.stringify({ ...trade(activePool), padding: 'x'.repeat(300 * 1024) });
      expect((await post(big, signed(big))).status).toBe(413);
      const deep = `{"event":"pool_update","poolId":"${activePool}","data":{"metrics":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}}`;
      const nested = await post(deep, signed(deep));
      expect(nested.status).toBe(400);
      expect(String(nested.body.message)).toContain('nested');
      expect((await post('{"event":', signed('{"event":'))).status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it.each([
      [{ price: -1 }, 'data.price'],
      [{ price: '1e2' }, 'data.price'],
      [{ side: 'HOLD' }, 'data.side'],
      [{ quantity: 'lots' }, 'data.quantity'],
      [{ symbol: 42 }, 'data.symbol'],
    ])('names the bad field %j → %s', async (change, field) => {
      const res = await send(trade(activePool, change));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(Object.keys(res.body.fields as object)).toContain(field);
    });

    it('answers 404 for an unknown pool and 409 for a pool that is not trading', async () => {
      expect((await send(trade('no-such-pool'))).status).toBe(404);
      const res = await send(trade(pendingPool));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
    });

    it('keeps money-like values exact: no float rounding between the JSON and the database', async () => {
      const body = `{"event":"trade_executed","poolId":"${activePool}","data":{"side":"SELL","quantity":0.30000000000000004,"symbol":"ETH/USDT","price":3001.123456789012345,"fee":"0.105"}}`;
      expect((await post(body, signed(body))).status).toBe(202);
      const { trades } = suite.getDb().schema;
      const [row] = await suite.getDb().db.select().from(trades).where(eq(trades.symbol, 'ETH/USDT'));
      expect(row).toMatchObject({
        quantity: '0.30000000000000004',
        price: '3001.123456789012345',
        feeCents: 10,
      });
    });
  });

  it("stamps the pool's heartbeat for an accepted delivery only; a refused one leaves it as it was", async () => {
    const db = suite.getDb();
    const { pools } = db.schema;
    const heartbeatOf = async (poolId: string) =>
      (await db.db.select({ at: pools.lastHeartbeatAt }).from(pools).where(eq(pools.id, poolId)))[0]?.at ??
      null;
    const pendingBefore = await heartbeatOf(pendingPool);
    clock.advance(60_000);
    expect((await send(trade(pendingPool))).status).toBe(409);
    expect(await heartbeatOf(pendingPool)).toEqual(pendingBefore);
    expect((await send(trade(activePool))).status).toBe(202);
    expect(await heartbeatOf(activePool)).toEqual(clock.now());
  });

  it('processes one delivery sent 10 times at once exactly once; every answer is 2xx', async () => {
    const before = await counts();
    const body = JSON.stringify(trade(activePool, { tradeId: 'dup-1' }));
    const headers = signed(body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, headers)));
    expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(9);
    const after = await counts();
    expect(after.trades - before.trades).toBe(1);
    expect(after.events - before.events).toBe(1);
  });

  it('answers concurrent deliveries only once the commit they share has returned, each stored once', async () => {
    const database = suite.getDb();
    const { trades } = database.schema;
    const ids = Array.from({ length: 6 }, (_, i) => `group-${i}-${randomUUID()}`);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let released = false;
    // On SQLite, holds the single write connection so that the deliveries queue up behind it (Postgres runs them
    // side by side, so there they just go). The write worker has a write connection of its own: there the
    // deliveries commit as they come, and each must still be stored when its answer arrives.
    const queued = suite.dialect === 'sqlite' && !worker;
    const blocker = database.transaction(() => held);
    if (!queued) {
      released = true;
      release();
    }
    const answers = ids.map(async (tradeId) => {
      const answer = await send(trade(activePool, { tradeId }));
      // Read outside the writer as soon as the answer arrives: the trade must already be committed.
      const stored = await database.db
        .select({ id: trades.id })
        .from(trades)
        .where(eq(trades.externalId, tradeId));
      return { status: answer.status, answeredAfterRelease: released, stored: stored.length };
    });
    if (queued) {
      await vi.waitFor(() => expect(database.connections?.().waiting).toBe(ids.length), { timeout: 10_000 });
    }
    const before = database.stats?.();
    released = true;
    release();
    await blocker;
    expect(await Promise.all(answers)).toEqual(
      ids.map(() => ({ status: 202, answeredAfterRelease: true, stored: 1 })),
    );
    const after = database.stats?.();
    if (queued && before && after) {
      // The blocker and the six deliveries queued behind it share one COMMIT (one fsync under synchronous=FULL).
      expect(after.committed - before.committed).toBe(ids.length + 1);
      expect(after.commits - before.commits).toBe(1);
    }
  });

  it('ends with the in-order state whatever order position and PnL reports arrive in', async () => {
    const t = (s: number) => new Date(clock.now().getTime() - 200_000 + s * 1000).toISOString();
    const reports = [
      {
        event: 'position_update',
        poolId: otherPool,
        data: { symbol: 'SOL/USDT', quantity: '10', avgEntryPrice: '100', markPrice: '101', at: t(1) },
      },
      {
        event: 'position_update',
        poolId: otherPool,
        data: { symbol: 'SOL/USDT', quantity: '-5', avgEntryPrice: '102', markPrice: '99.5', at: t(3) },
      },
      {
        event: 'position_update',
        poolId: otherPool,
        data: { symbol: 'SOL/USDT', quantity: '7', avgEntryPrice: '101', markPrice: '100', at: t(2) },
      },
      {
        event: 'pnl_update',
        poolId: otherPool,
        data: { equity: '10500.50', realizedPnl: '400', unrealizedPnl: '100.50', at: t(2) },
      },
      {
        event: 'pnl_update',
        poolId: otherPool,
        data: { equity: '10250.25', realizedPnl: '250', unrealizedPnl: '0.25', at: t(5) },
      },
      {
        event: 'pnl_update',
        poolId: otherPool,
        data: { equity: '9000', realizedPnl: '-1000', unrealizedPnl: '0', at: t(1) },
      },
    ];
    for (const report of reports) {
      expect((await send(report)).status).toBe(202);
    }
    const { positions, pools, pnlSnapshots } = suite.getDb().schema;
    const [position] = await suite.getDb().db.select().from(positions).where(eq(positions.poolId, otherPool));
    expect(position).toMatchObject({
      symbol: 'SOL/USDT',
      quantity: '-5',
      avgEntryPrice: '102',
      markPrice: '99.5',
    });
    const [pool] = await suite.getDb().db.select().from(pools).where(eq(pools.id, otherPool));
    expect(pool?.equityCents).toBe(1_025_025);
    // Capital 10,000 + realized 250 + unrealized 0.25 from the newest report (t5), whatever the arrival order.
    expect(pool).toMatchObject({ capitalCents: 1_000_000, realizedPnlCents: 25_000, unrealizedPnlCents: 25 });
    // Each accepted report is kept for the chart; the one older than the stored report (t1, arriving last)
    // changes nothing and stores no snapshot (CONTRACT §6).
    const snapshots = await suite
      .getDb()
      .db.select()
      .from(pnlSnapshots)
      .where(eq(pnlSnapshots.poolId, otherPool));
    expect(snapshots.map((row) => row.equityCents).sort()).toEqual([1_025_025, 1_050_050]);
  });

  it('keeps accepting the pinned secret when a stored one was sealed under another SECRETS_KEY', async () => {
    const other = await startTestServer(suite.getDb(), {
      clock,
      env: {
        MODEL_WEBHOOK_SECRET: SECRET,
        SECRETS_KEY: 'a-completely-different-secrets-key-0123456789',
        RATE_LIMIT_PER_MIN: '100000',
        WEBHOOK_WORKER: WORKER,
      },
    });
    try {
      const body = JSON.stringify(trade(activePool));
      const res = await fetch(`${other.url}/api/v1/webhook/model`, {
        method: 'POST',
        headers: signed(body),
        body,
      });
      expect(res.status).toBe(202);
    } finally {
      await other.close();
    }
  });

  it('keeps old and new secrets valid during a rotation overlap, then only the new one', async () => {
    const admin = await createTestUser(server.services, 'ADMIN');
    const rotated = await rotateSecret(createInnerContext(server.services, { user: admin.ctx.user }), 10);
    clock.advance(3_000);
    expect((await send(trade(activePool), { secret: rotated.secret })).status).toBe(202);
    expect((await send(trade(activePool))).status).toBe(202);
    clock.advance(11 * 60_000);
    expect((await send(trade(activePool), { secret: rotated.secret })).status).toBe(202);
    // MODEL_WEBHOOK_SECRET set explicitly stays valid after any rotation.
    expect((await send(trade(activePool))).status).toBe(202);
    // A server without it pinned (the stored secrets only): the pre-rotation secret has expired.
    const unpinned = await startTestServer(suite.getDb(), {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000', WEBHOOK_WORKER: WORKER },
    });
    try {
      const body = JSON.stringify(trade(activePool));
      const viaUnpinned = (headers: Record<string, string>) =>
        fetch(`${unpinned.url}/api/v1/webhook/model`, { method: 'POST', headers, body }).then(
          (r) => r.status,
        );
      expect(await viaUnpinned(signed(body))).toBe(401);
      expect(await viaUnpinned(signed(body, { secret: rotated.secret }))).toBe(202);
    } finally {
      await unpinned.close();
    }
  });
};

describeEachDialect('model webhook', modelWebhookSuite(false));
describeEachDialect('model webhook, stored by the write worker', modelWebhookSuite(true), {
  dialects: ['sqlite'],
});

function openSocket(url: string, token: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
