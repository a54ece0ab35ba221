import { randomUUID } from 'node:crypto';
import { actOnPool, createPool, runScheduledTransitions } from '@tradepool/api/server';
import { createTestUser, type TestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SECOND = 1_000;
const HOUR = 3_600_000;

/**
 * The attacks of issue 9 over HTTP (CONTRACT §6): each one succeeded before capital accounting — a late report
 * halved the NAV, a report from 2099 froze the pool, a manager holding shares settled their own pool at any amount.
 */
describeEachDialect('pool accounting over HTTP', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let manager: TestUser;
  let admin: TestUser;

  async function report(poolId: string, data: Record<string, unknown>, id = `msg_${randomUUID()}`) {
    const body = JSON.stringify({ event: 'pnl_update', poolId, data });
    const res = await fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, clock.now(), body),
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** A user of `role` signed in over HTTP (a role change ends the tokens issued before it, so sign in again). */
  async function signedIn(role: 'INVESTOR' | 'MANAGER' | 'ADMIN') {
    const user = await createTestUser(server.services, role);
    if (role !== 'INVESTOR') {
      const login = await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: user.email, password: 'a-test-password' },
      });
      user.accessToken = login.body.accessToken;
    }
    return user;
  }

  /** A subscribed investor with `cents` in the wallet, signed in over HTTP. */
  async function investor(cents: number, role: 'INVESTOR' | 'MANAGER' | 'ADMIN' = 'INVESTOR') {
    const user = await signedIn(role);
    await call(server.url, 'POST', '/api/v1/auth/subscribe', { token: user.accessToken });
    await call(server.url, 'POST', '/api/v1/wallet/deposits', {
      token: user.accessToken,
      body: { amountCents: cents },
    });
    return user;
  }

  async function invest(user: TestUser, poolId: string, amountCents: number) {
    const res = await call(server.url, 'POST', '/api/v1/investments', {
      token: user.accessToken,
      body: { poolId, amountCents },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; shares: string; amountCents: number };
  }

  const getPool = async (id: string) =>
    (await call(server.url, 'GET', `/api/v1/pools/${id}`, { token: manager.accessToken })).body;

  async function newPool(name: string) {
    const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
    return createPool(manager.ctx, {
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
  }

  /** A pool raised from `amounts` (one investor each) and published: ACTIVE with that capital. */
  async function activePool(name: string, amounts: number[]) {
    const pool = await newPool(name);
    const holders: TestUser[] = [];
    for (const cents of amounts) {
      const user = await investor(cents);
      await invest(user, pool.id, cents);
      holders.push(user);
    }
    const published = await call(server.url, 'POST', `/api/v1/pools/${pool.id}/publish`, {
      token: manager.accessToken,
    });
    expect(published.status).toBe(200);
    return { pool, holders };
  }

  /** Signs a staff user in again: access tokens expire when the clock jumps hours ahead. */
  async function relogin(user: TestUser) {
    const login = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'a-test-password' },
    });
    user.accessToken = login.body.accessToken;
  }

  /** Walks a pool to SETTLING through the scheduler (its dates are 1–3 hours out). */
  async function toSettling(poolId: string) {
    clock.advance(4 * HOUR);
    await runScheduledTransitions(server.services);
    await relogin(manager);
    await relogin(admin);
    expect((await getPool(poolId)).status).toBe('SETTLING');
  }

  async function snapshotsOf(poolId: string) {
    const { pnlSnapshots } = suite.getDb().schema;
    return suite.getDb().db.select().from(pnlSnapshots).where(eq(pnlSnapshots.poolId, poolId));
  }

  async function pnlEventsOf(poolId: string) {
    const { events } = suite.getDb().schema;
    return suite
      .getDb()
      .db.select()
      .from(events)
      .where(and(eq(events.poolId, poolId), eq(events.type, 'pnl:update')));
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { MODEL_WEBHOOK_SECRET: SECRET, RATE_LIMIT_PER_MIN: '100000', REGISTRATIONS_PER_HOUR: '100000' },
    });
    manager = await signedIn('MANAGER');
    admin = await signedIn('ADMIN');
  });
  afterAll(async () => {
    await server.close();
  });

  it('ACTIVE before any report: equity equals capital and the NAV is exactly 1.000000, also after an ACTIVE investment', async () => {
    const { pool } = await activePool('Fresh', [123_456]);
    expect(await getPool(pool.id)).toMatchObject({
      status: 'ACTIVE',
      capitalCents: 123_456,
      equityCents: 123_456,
      navPerShare: '1.000000',
    });
    clock.advance(30 * SECOND);
    const late = await investor(10_001);
    expect((await invest(late, pool.id, 10_001)).shares).toBe('100.010000');
    expect(await getPool(pool.id)).toMatchObject({
      capitalCents: 133_457,
      equityCents: 133_457,
      navPerShare: '1.000000',
    });
  });

  it('a report stamped before an investment but delivered after it does not halve the NAV; the next investor pays the right price', async () => {
    const t0 = clock.now().getTime();
    const { pool } = await activePool('Late report', [100_000]);
    clock.advance(60 * SECOND);
    expect((await report(pool.id, { realizedPnl: '100', unrealizedPnl: '0', equity: '1100' })).status).toBe(
      202,
    );
    expect((await getPool(pool.id)).navPerShare).toBe('1.100000');
    clock.advance(60 * SECOND);
    // B buys $1,100 at NAV 1.10: 1,000 shares; capital $2,100, equity $2,200.
    const b = await investor(110_000);
    expect((await invest(b, pool.id, 110_000)).shares).toBe('1000.000000');
    clock.advance(10 * SECOND);
    // The model's report written 30 s before B invested arrives now: it saw $1,000 of capital.
    const stampedBefore = new Date(t0 + 90 * SECOND).toISOString();
    const late = await report(pool.id, {
      realizedPnl: '100',
      unrealizedPnl: '0',
      equity: '1100',
      at: stampedBefore,
    });
    expect(late.status, JSON.stringify(late.body)).toBe(202);
    expect(await getPool(pool.id)).toMatchObject({
      capitalCents: 210_000,
      equityCents: 220_000,
      navPerShare: '1.100000',
    });
    // The next investor gets shares at 1.10, not at half of it.
    const c = await investor(55_000);
    expect((await invest(c, pool.id, 55_000)).shares).toBe('500.000000');
    expect((await getPool(pool.id)).navPerShare).toBe('1.100000');
  });

  it('a report whose equity ignores the capital (the old demo model) is refused 409 naming both values; only the delivery log records it', async () => {
    const { pool } = await activePool('Inflated', [30_000]);
    clock.advance(10 * SECOND);
    const before = await getPool(pool.id);
    const snapshots = (await snapshotsOf(pool.id)).length;
    const res = await report(pool.id, { realizedPnl: '0', unrealizedPnl: '0', equity: '10000' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
    expect(String(res.body.message)).toContain('10000.00');
    expect(String(res.body.message)).toContain('300.00');
    expect(res.body).toMatchObject({ expectedEquityCents: 30_000, reportedEquityCents: 1_000_000 });
    expect(await getPool(pool.id)).toEqual(before);
    expect(await snapshotsOf(pool.id)).toHaveLength(snapshots);
    const { webhookDeliveries } = suite.getDb().schema;
    const [logged] = await suite
      .getDb()
      .db.select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.poolId, pool.id), eq(webhookDeliveries.outcome, 'REFUSED')));
    expect(logged).toMatchObject({ httpStatus: 409 });
    expect(logged?.reason).toContain('10000.00');
    // Within the tolerance (max of $1 and 0.1 % of capital) it is accepted.
    expect((await report(pool.id, { realizedPnl: '5', unrealizedPnl: '0', equity: '305.99' })).status).toBe(
      202,
    );
    expect((await getPool(pool.id)).equityCents).toBe(30_500);
  });

  it('a report stamped in 2099 is refused 400 naming `at` and freezes nothing', async () => {
    const { pool } = await activePool('Far future', [50_000]);
    clock.advance(10 * SECOND);
    const res = await report(pool.id, {
      realizedPnl: '1000',
      unrealizedPnl: '0',
      at: '2099-01-01T00:00:00Z',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
    expect(String(res.body.message)).toContain('at');
    expect(Object.keys(res.body.fields as object)).toContain('data.at');
    expect(await getPool(pool.id)).toMatchObject({ equityCents: 50_000, navPerShare: '1.000000' });
    expect(await snapshotsOf(pool.id)).toHaveLength(0);
    // The next honest report still lands.
    expect((await report(pool.id, { realizedPnl: '25', unrealizedPnl: '0' })).status).toBe(202);
    expect((await getPool(pool.id)).equityCents).toBe(52_500);
    // A position stamped in 2099 would freeze that position the same way: refused too.
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      event: 'position_update',
      poolId: pool.id,
      data: {
        symbol: 'BTC/USDT',
        quantity: '1',
        avgEntryPrice: '1',
        markPrice: '1',
        at: '2099-01-01T00:00:00Z',
      },
    });
    const position = await fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, clock.now(), body),
      },
      body,
    });
    expect(position.status).toBe(400);
  });

  it('an investment between two PnL reports delivered out of order ends in the in-order state (RELIABILITY 13)', async () => {
    const t0 = clock.now().getTime();
    const { pool } = await activePool('Out of order', [100_000]);
    clock.advance(60 * SECOND);
    const b = await investor(100_000);
    expect((await invest(b, pool.id, 100_000)).shares).toBe('1000.000000');
    clock.advance(60 * SECOND);
    // Written at t0+90 s (after B's money joined: capital $2,000), delivered first.
    const newer = await report(pool.id, {
      realizedPnl: '120',
      unrealizedPnl: '0',
      equity: '2120',
      at: new Date(t0 + 90 * SECOND).toISOString(),
    });
    expect(newer.status).toBe(202);
    const events = (await pnlEventsOf(pool.id)).length;
    clock.advance(10 * SECOND);
    // Written at t0+30 s (capital $1,000 then), delivered last: consistent, but older than what is stored.
    const older = await report(pool.id, {
      realizedPnl: '50',
      unrealizedPnl: '0',
      equity: '1050',
      at: new Date(t0 + 30 * SECOND).toISOString(),
    });
    expect(older.status).toBe(202);
    // In-order state: the newest report on today's capital. Nothing stored or announced for the older one.
    expect(await getPool(pool.id)).toMatchObject({
      capitalCents: 200_000,
      equityCents: 212_000,
      navPerShare: '1.060000',
    });
    expect(await snapshotsOf(pool.id)).toHaveLength(1);
    expect(await pnlEventsOf(pool.id)).toHaveLength(events);
    const [event] = await pnlEventsOf(pool.id);
    expect(event?.payload).toMatchObject({
      equityCents: 212_000,
      navPerShare: '1.060000',
      capitalCents: 200_000,
      realizedPnlCents: 12_000,
      unrealizedPnlCents: 0,
    });
    // The chart keeps the NAV of the moment.
    const series = await call(server.url, 'GET', `/api/v1/pools/${pool.id}/pnl`, {
      token: manager.accessToken,
    });
    expect(series.body).toEqual([expect.objectContaining({ equityCents: 212_000, navPerShare: '1.060000' })]);
  });

  describe('settlement', () => {
    const settle = (token: string, poolId: string, body: Record<string, unknown>) =>
      call(server.url, 'POST', `/api/v1/pools/${poolId}/settle`, { token, body });

    async function settlingPool(name: string, pnl: string) {
      const { pool, holders } = await activePool(name, [100_000, 50_000]);
      clock.advance(10 * SECOND);
      expect((await report(pool.id, { realizedPnl: pnl, unrealizedPnl: '0' })).status).toBe(202);
      await toSettling(pool.id);
      return { pool, holders };
    }

    async function auditCount() {
      const { auditEntries } = suite.getDb().schema;
      return (await suite.getDb().db.select().from(auditEntries)).length;
    }

    it('a MANAGER (or ADMIN) who holds shares cannot settle the pool (403), whatever the amount; nothing is written', async () => {
      const pool = await newPool('Own pool');
      const insider = await investor(100_000, 'MANAGER');
      const insiderAdmin = await investor(100_000, 'ADMIN');
      await invest(insider, pool.id, 100_000);
      await invest(insiderAdmin, pool.id, 50_000);
      await actOnPool(manager.ctx, pool.id, 'publish');
      await toSettling(pool.id);
      await relogin(insider);
      await relogin(insiderAdmin);
      const audits = await auditCount();
      for (const body of [{}, { finalEquityCents: 100_000_000_000 }]) {
        const res = await settle(insider.accessToken, pool.id, body);
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      const asAdmin = await settle(insiderAdmin.accessToken, pool.id, {
        finalEquityCents: 150_000,
        reason: 'mine',
      });
      expect(asAdmin.status).toBe(403);
      expect(await auditCount()).toBe(audits);
      expect((await getPool(pool.id)).status).toBe('SETTLING');
      // Someone without shares settles it at the reported equity.
      const ok = await settle(manager.accessToken, pool.id, {});
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.finalEquityCents).toBe(150_000);
    });

    it('an override of 1,000×: a MANAGER gets 403, an ADMIN 409 naming the bounds; nothing is written', async () => {
      const { pool } = await settlingPool('Greedy', '3');
      const audits = await auditCount();
      const huge = { finalEquityCents: 150_300 * 1_000, reason: 'because' };
      const byManager = await settle(manager.accessToken, pool.id, huge);
      expect(byManager.status).toBe(403);
      const byAdmin = await settle(admin.accessToken, pool.id, huge);
      expect(byAdmin.status).toBe(409);
      expect(byAdmin.body.code).toBe('CONFLICT');
      // 5 % around the reported $1,503.00.
      expect(byAdmin.body).toMatchObject({ minCents: 142_785, maxCents: 157_815 });
      expect(String(byAdmin.body.message)).toContain('142785');
      expect(String(byAdmin.body.message)).toContain('157815');
      expect(await auditCount()).toBe(audits);
      const check = await call(server.url, 'GET', '/api/v1/admin/ledger/check', { token: admin.accessToken });
      expect(check.body.balanced).toBe(true);
      expect((await getPool(pool.id)).status).toBe('SETTLING');
    });

    it('an ADMIN override needs a reason (400 naming it); within 5 % it settles, audited, and the ledger check explains it', async () => {
      const { pool } = await settlingPool('Corrected', '-100');
      // Reported: capital $1,500 − $100 = $1,400; the admin corrects it to $1,430.
      const noReason = await settle(admin.accessToken, pool.id, { finalEquityCents: 143_000 });
      expect(noReason.status).toBe(400);
      expect(noReason.body.code).toBe('BAD_REQUEST');
      expect(noReason.body.fields).toHaveProperty('reason');
      const blank = await settle(admin.accessToken, pool.id, { finalEquityCents: 143_000, reason: '   ' });
      expect(blank.status).toBe(400);
      const preview = await call(server.url, 'GET', `/api/v1/admin/ledger/check`, {
        token: admin.accessToken,
      });
      expect(preview.body.pools.find((p: { poolId: string }) => p.poolId === pool.id)).toMatchObject({
        unsupported: false,
        tradingResultCents: 0,
      });
      const done = await settle(admin.accessToken, pool.id, {
        finalEquityCents: 143_000,
        reason: 'Exchange statement shows $30 more than the last report',
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({
        finalEquityCents: 143_000,
        defaultFinalEquityCents: 140_000,
        overridden: true,
      });
      const paid = done.body.payouts.reduce(
        (sum: number, p: { payoutCents: number }) => sum + p.payoutCents,
        0,
      );
      expect(paid + done.body.feesCents).toBe(143_000);
      const audit = await call(server.url, 'GET', '/api/v1/admin/audit?action=pool.settlement_paid', {
        token: admin.accessToken,
      });
      expect(JSON.stringify(audit.body)).toContain('Exchange statement shows $30 more than the last report');
      const check = await call(server.url, 'GET', '/api/v1/admin/ledger/check', { token: admin.accessToken });
      expect(check.body.balanced).toBe(true);
      expect(check.body.pools.find((p: { poolId: string }) => p.poolId === pool.id)).toMatchObject({
        capitalInCents: 150_000,
        tradingResultCents: -7_000,
        feesCents: done.body.feesCents,
        payoutsCents: paid,
        overridden: true,
        unsupported: false,
      });
    });

    it('the ledger check flags a settled result no report supports', async () => {
      const { pool } = await settlingPool('Tampered', '0');
      const ok = await settle(manager.accessToken, pool.id, {});
      expect(ok.status).toBe(200);
      // Someone rewrites history behind the API: the pool's reported PnL no longer explains what was paid.
      const { pools } = suite.getDb().schema;
      await suite.getDb().transaction(async (tx) => {
        await tx.update(pools).set({ realizedPnlCents: -50_000 }).where(eq(pools.id, pool.id));
      });
      const check = await call(server.url, 'GET', '/api/v1/admin/ledger/check', { token: admin.accessToken });
      expect(check.body.balanced).toBe(true);
      const books = check.body.pools.find((p: { poolId: string }) => p.poolId === pool.id);
      expect(books).toMatchObject({ unsupported: true, reportedEquityCents: 100_000 });
      expect(books.message).toContain('100000');
      expect(check.body.unsupported).toBeGreaterThanOrEqual(1);
    });
  });
});
