import { createPool, runScheduledTransitions, secretKey, signWebhook } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const PASSWORD = 'statements over http password';
const SECRET = 'whsec_c3RhdGVtZW50cy10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWI=';
const HOUR = 3_600_000;

describeEachDialect('statements and wallet transactions over HTTP', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let n = 0;

  async function investor(depositCents = 100_000) {
    const email = `statement${++n}-${suite.dialect}@example.com`;
    const res = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    const token = res.body.accessToken as string;
    await call(server.url, 'POST', '/api/v1/auth/subscribe', { token });
    await call(server.url, 'POST', '/api/v1/wallet/deposits', { token, body: { amountCents: depositCents } });
    return { email, token, id: res.body.user.id as string };
  }

  async function login(email: string, password = PASSWORD): Promise<string> {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', { body: { email, password } });
    return res.body.accessToken as string;
  }

  async function openPool(name: string) {
    const manager = await createTestUser(server.services, 'MANAGER');
    const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
    const pool = await createPool(manager.ctx, {
      name,
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM',
      targetAmountCents: 10_000_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(2),
      settleDate: at(3),
    });
    return { pool, manager };
  }

  async function invest(token: string, poolId: string, amountCents: number) {
    const res = await call(server.url, 'POST', '/api/v1/investments', {
      token,
      body: { poolId, amountCents },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function reportPnl(poolId: string, realizedPnl: string) {
    const body = JSON.stringify({
      event: 'pnl_update',
      poolId,
      data: { realizedPnl, unrealizedPnl: '0', at: clock.now().toISOString() },
    });
    const id = `msg_statement_${++n}`;
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    const res = await fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': `v1,${signWebhook(secretKey(SECRET), id, timestamp, body)}`,
      },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(202);
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: {
        RATE_LIMIT_PER_MIN: '100000',
        REGISTRATIONS_PER_HOUR: '100000',
        MODEL_WEBHOOK_SECRET: SECRET,
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a statement shows invested, shares and value at NAV 1; a non-holder and an unknown pool get 404', async () => {
    const alice = await investor();
    const bob = await investor();
    const { pool } = await openPool('Statement pool');
    await invest(alice.token, pool.id, 12_345);
    await invest(alice.token, pool.id, 655);
    const statement = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, {
      token: alice.token,
    });
    expect(statement.status, JSON.stringify(statement.body)).toBe(200);
    expect(statement.body).toEqual({
      poolId: pool.id,
      status: 'PENDING',
      investedCents: 13_000,
      shares: '130.000000',
      navPerShare: '1.000000',
      valueCents: 13_000,
      profitCents: 0,
      feeCents: null,
      payoutCents: null,
    });
    const stranger = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, {
      token: bob.token,
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('NOT_FOUND');
    const unknown = await call(server.url, 'GET', '/api/v1/pools/no-such-pool/statement', {
      token: alice.token,
    });
    expect(unknown.status).toBe(404);
    const anonymous = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`);
    expect(anonymous.status).toBe(401);
  });

  it('after settlement: payout + fee = value for every investor, and the value sums to the final equity', async () => {
    const alice = await investor();
    const bob = await investor();
    const { pool, manager } = await openPool('Settled statement pool');
    await invest(alice.token, pool.id, 33_333);
    await invest(bob.token, pool.id, 66_667);
    clock.advance(1 * HOUR + 60_000);
    await runScheduledTransitions(server.services);
    // +123.45 dollars of trading result on 1,000 dollars of capital.
    await reportPnl(pool.id, '123.45');
    const before = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, {
      token: await login(alice.email),
    });
    expect(before.body).toMatchObject({ status: 'ACTIVE', investedCents: 33_333, feeCents: null });
    expect(before.body.valueCents).toBeGreaterThan(33_333);
    expect(before.body.profitCents).toBe(before.body.valueCents - 33_333);
    clock.advance(3 * HOUR);
    await runScheduledTransitions(server.services);
    const settled = await call(server.url, 'POST', `/api/v1/pools/${pool.id}/settle`, {
      token: await login(manager.email, 'a-test-password'),
    });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body.finalEquityCents).toBe(100_000 + 12_345);
    let total = 0;
    for (const [who, invested] of [
      [alice, 33_333],
      [bob, 66_667],
    ] as const) {
      const token = await login(who.email);
      const s = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, { token });
      expect(s.status).toBe(200);
      expect(s.body.status).toBe('SETTLED');
      expect(s.body.investedCents).toBe(invested);
      expect(s.body.feeCents).toBeGreaterThan(0);
      expect(s.body.payoutCents + s.body.feeCents).toBe(s.body.valueCents);
      expect(s.body.profitCents).toBe(s.body.valueCents - invested);
      total += s.body.valueCents;
      const tx = await call(server.url, 'GET', '/api/v1/wallet/transactions', { token });
      expect(tx.body.items[0]).toMatchObject({
        kind: 'PAYOUT',
        description: 'Payout from Settled statement pool',
        amountCents: s.body.payoutCents,
        heldCents: 0,
        poolId: pool.id,
      });
    }
    expect(total).toBe(100_000 + 12_345);
  });

  it('an investment while ACTIVE is worth what was paid (to the cent) and moves nobody else’s statement', async () => {
    const alice = await investor();
    const bob = await investor();
    const { pool } = await openPool('Active statement pool');
    await invest(alice.token, pool.id, 10_000);
    clock.advance(1 * HOUR + 60_000);
    await runScheduledTransitions(server.services);
    // +$12.34 on $100 of capital: NAV 1.1234.
    await reportPnl(pool.id, '12.34');
    const aliceToken = await login(alice.email);
    const before = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, { token: aliceToken });
    expect(before.body).toMatchObject({ navPerShare: '1.123400', valueCents: 11_234, profitCents: 1_234 });
    await invest(await login(bob.email), pool.id, 5_000);
    const mine = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, {
      token: await login(bob.email),
    });
    expect(mine.body).toMatchObject({ status: 'ACTIVE', investedCents: 5_000, navPerShare: '1.123400' });
    // Shares are minted rounded down to the micro-share: the value is the amount, give or take a cent.
    expect(Math.abs(mine.body.valueCents - 5_000)).toBeLessThanOrEqual(1);
    const after = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/statement`, { token: aliceToken });
    expect(after.body).toEqual(before.body);
  });

  it('wallet transactions: own movements only, newest first, signed, stably cursor-paged', async () => {
    const carol = await investor(50_000);
    const dave = await investor(70_000);
    const { pool } = await openPool('Paging pool');
    for (let i = 0; i < 7; i++) {
      await invest(carol.token, pool.id, 1_000 + i);
    }
    const w = await call(server.url, 'POST', '/api/v1/withdrawals', {
      token: carol.token,
      body: { amountCents: 2_500 },
    });
    await call(server.url, 'POST', `/api/v1/withdrawals/${w.body.id}/cancel`, { token: carol.token });
    const seen: { id: string; kind: string; amountCents: number; heldCents: number; description: string }[] =
      [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const page = await call(server.url, 'GET', `/api/v1/wallet/transactions${query}`, {
        token: carol.token,
      });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      // A movement of someone else in between never shifts the pages.
      await invest(dave.token, pool.id, 1_000);
      pages++;
    } while (cursor && pages < 10);
    expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
    expect(seen.map((t) => t.kind)).toEqual([
      'WITHDRAW_RELEASE',
      'WITHDRAW_HOLD',
      ...Array.from({ length: 7 }, () => 'INVEST'),
      'DEPOSIT',
    ]);
    expect(seen[0]).toMatchObject({ amountCents: 2_500, heldCents: -2_500 });
    expect(seen[0]?.description).toMatch(/Withdrawal cancelled/);
    expect(seen[1]).toMatchObject({
      description: 'Withdrawal requested',
      amountCents: -2_500,
      heldCents: 2_500,
    });
    expect(seen[2]).toMatchObject({ description: 'Invested in Paging pool', amountCents: -1_006 });
    expect(seen.at(-1)).toMatchObject({ description: 'Deposit', amountCents: 50_000 });
    const balance = (await call(server.url, 'GET', '/api/v1/wallet', { token: carol.token })).body
      .balanceCents;
    expect(seen.reduce((sum, t) => sum + t.amountCents, 0)).toBe(balance);
    const bad = await call(server.url, 'GET', '/api/v1/wallet/transactions?cursor=not-a-cursor', {
      token: carol.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toHaveProperty('cursor');
  });

  it('?format=csv downloads the same movements as text/csv with a file name; only the caller’s own', async () => {
    const erin = await investor(40_000);
    const frank = await investor(90_000);
    const { pool } = await openPool('CSV, "quoted" pool');
    await invest(erin.token, pool.id, 1_234);
    const res = await fetch(`${server.url}/api/v1/wallet/transactions?format=csv`, {
      headers: { authorization: `Bearer ${erin.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tradepool-transactions-.*\.csv"$/,
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,kind,description,amountCents,heldCents,amount,held,poolId');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',INVEST,"Invested in CSV, ""quoted"" pool",-1234,0,-12.34,0.00,');
    expect(lines[2]).toContain(',DEPOSIT,Deposit,40000,0,400.00,0.00,');
    expect(lines.join('\n')).not.toContain('90000');
    const json = await call(server.url, 'GET', '/api/v1/wallet/transactions', { token: frank.token });
    expect(json.body.items.map((t: { amountCents: number }) => t.amountCents)).toEqual([90_000]);
    const anonymous = await fetch(`${server.url}/api/v1/wallet/transactions?format=csv`);
    expect(anonymous.status).toBe(401);
  });
});
