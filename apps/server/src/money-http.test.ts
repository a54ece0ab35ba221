import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, deliverQueuedMail, runScheduledTransitions } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { SMTPServer } from 'smtp-server';
import { io as connect, type Socket } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailTransport } from './services';
import { call, startTestServer, type TestServer } from './test-support';

const PASSWORD = 'money over http password';
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

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

describeEachDialect('money over HTTP', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let n = 0;

  async function signUp() {
    const email = `money${++n}-${suite.dialect}@example.com`;
    const res = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    return { email, token: res.body.accessToken as string, id: res.body.user.id as string };
  }

  async function openPool(target = 1_000_000) {
    const manager = await createTestUser(server.services, 'MANAGER');
    const at = (h: number) => new Date(clock.now().getTime() + h * 3_600_000).toISOString();
    const pool = await createPool(manager.ctx, {
      name: 'HTTP pool',
      description: '',
      strategy: 'MARKET_NEUTRAL',
      pair: 'BTC/ETH',
      riskLevel: 'LOW',
      targetAmountCents: target,
      minInvestmentCents: 1_000,
      startDate: at(1),
      endDate: at(2),
      settleDate: at(3),
    });
    return { pool, manager };
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: {
        RATE_LIMIT_PER_MIN: '100000',
        REGISTRATIONS_PER_HOUR: '100000',
        MODEL_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('subscribe, deposit, invest with an Idempotency-Key sent 50 times at once: one effect, identical answers', async () => {
    const user = await signUp();
    const sub = await call(server.url, 'POST', '/api/v1/auth/subscribe', { token: user.token });
    expect(sub.status).toBe(200);
    expect(Date.parse(sub.body.subscriptionExpiresAt)).toBeGreaterThan(clock.now().getTime());
    const dep = await call(server.url, 'POST', '/api/v1/wallet/deposits', {
      token: user.token,
      body: { amountCents: 100_000 },
    });
    expect(dep.body).toEqual({ balanceCents: 100_000 });
    const { pool } = await openPool();
    const body = { poolId: pool.id, amountCents: 12_345 };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(server.url, 'POST', '/api/v1/investments', {
          token: user.token,
          body,
          headers: { 'idempotency-key': 'order-42' },
        }),
      ),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    for (const answer of answers) {
      expect(answer.body).toEqual(answers[0]?.body);
    }
    expect(answers[0]?.body).toMatchObject({
      poolId: pool.id,
      amountCents: 12_345,
      shares: '123.450000',
      status: 'ACTIVE',
    });
    const wallet = await call(server.url, 'GET', '/api/v1/wallet', { token: user.token });
    expect(wallet.body).toEqual({ balanceCents: 100_000 - 12_345, heldCents: 0 });
    const conflict = await call(server.url, 'POST', '/api/v1/investments', {
      token: user.token,
      body: { ...body, amountCents: 20_000 },
      headers: { 'idempotency-key': 'order-42' },
    });
    expect(conflict.status).toBe(409);
    expect(
      (await call(server.url, 'GET', '/api/v1/investments', { token: user.token })).body.items,
    ).toHaveLength(1);
  });

  it('investing without a subscription answers 403 SUBSCRIPTION_REQUIRED', async () => {
    const user = await signUp();
    await call(server.url, 'POST', '/api/v1/wallet/deposits', {
      token: user.token,
      body: { amountCents: 5_000 },
    });
    const { pool } = await openPool();
    const res = await call(server.url, 'POST', '/api/v1/investments', {
      token: user.token,
      body: { poolId: pool.id, amountCents: 2_000 },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'SUBSCRIPTION_REQUIRED', message: 'Subscription required' });
  });

  describe('amounts', () => {
    it.each([
      ['a float', 10.5],
      ['a negative', -100],
      ['zero', 0],
      ['an exponent string', '1e2'],
      ['a number string', '100'],
      ['above 2^53', 2 ** 53 + 2],
      ['missing', undefined],
    ])('refuses %s with 400 naming amountCents, on every money route', async (_label, amount) => {
      const user = await signUp();
      for (const path of ['/api/v1/wallet/deposits', '/api/v1/withdrawals', '/api/v1/investments']) {
        const body = path.endsWith('investments')
          ? { poolId: 'x', amountCents: amount }
          : { amountCents: amount };
        const res = await call(server.url, 'POST', path, { token: user.token, body });
        expect(res.status, `${path} ${String(amount)}`).toBe(400);
        expect(res.body.code).toBe('BAD_REQUEST');
        expect(Object.keys(res.body.fields)).toContain('amountCents');
      }
      expect((await call(server.url, 'GET', '/api/v1/wallet', { token: user.token })).body).toEqual({
        balanceCents: 0,
        heldCents: 0,
      });
    });
  });

  it("a user's money events reach only that user's sockets", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const aliceSocket = await openSocket(server.url, alice.token);
    const bobSocket = await openSocket(server.url, bob.token);
    try {
      const bobHeard: unknown[] = [];
      bobSocket.on('wallet:update', (e: unknown) => bobHeard.push(e));
      const aliceHeard = new Promise<{ data: { balanceCents: number } }>((resolve) =>
        aliceSocket.once('wallet:update', resolve),
      );
      await call(server.url, 'POST', '/api/v1/wallet/deposits', {
        token: alice.token,
        body: { amountCents: 7_777 },
      });
      expect((await aliceHeard).data.balanceCents).toBe(7_777);
      await server.services.events.drain();
      expect(bobHeard).toEqual([]);
    } finally {
      aliceSocket.close();
      bobSocket.close();
    }
  });

  it('settle over REST, withdraw and approve over REST, and the ledger check proves the books', async () => {
    const user = await signUp();
    await call(server.url, 'POST', '/api/v1/auth/subscribe', { token: user.token });
    await call(server.url, 'POST', '/api/v1/wallet/deposits', {
      token: user.token,
      body: { amountCents: 50_000 },
    });
    const { pool, manager } = await openPool();
    await call(server.url, 'POST', '/api/v1/investments', {
      token: user.token,
      body: { poolId: pool.id, amountCents: 40_000 },
    });
    clock.advance(4 * 3_600_000);
    await runScheduledTransitions(server.services);
    // The model reports $100 of realized PnL on the $400 of capital: the pool is worth $500 (CONTRACT §6).
    const report = JSON.stringify({
      event: 'pnl_update',
      poolId: pool.id,
      data: { realizedPnl: '100', unrealizedPnl: '0', equity: '500' },
    });
    const reported = await fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': `msg_settle_${pool.id}`,
        'webhook-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
        'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(`msg_settle_${pool.id}`, clock.now(), report),
      },
      body: report,
    });
    expect(reported.status).toBe(202);
    const managerLogin = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: manager.email, password: 'a-test-password' },
      })
    ).body.accessToken as string;
    // The manager settles at the reported equity (the default; only an ADMIN may override it).
    const settled = await call(server.url, 'POST', `/api/v1/pools/${pool.id}/settle`, {
      token: managerLogin,
      body: {},
    });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body).toMatchObject({ finalEquityCents: 50_000, feesCents: 2_000 });
    const fresh = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: user.email, password: PASSWORD },
      })
    ).body.accessToken;
    expect((await call(server.url, 'GET', '/api/v1/wallet', { token: fresh })).body).toEqual({
      balanceCents: 10_000 + 48_000,
      heldCents: 0,
    });
    const w = await call(server.url, 'POST', '/api/v1/withdrawals', {
      token: fresh,
      body: { amountCents: 8_000 },
    });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ amountCents: 8_000, status: 'REQUESTED' });
    const admin = await createTestUser(server.services, 'ADMIN');
    admin.accessToken = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: 'a-test-password' },
      })
    ).body.accessToken;
    expect(
      (
        await call(server.url, 'POST', `/api/v1/admin/withdrawals/${w.body.id}/approve`, {
          token: admin.accessToken,
        })
      ).body.status,
    ).toBe('APPROVED');
    const paid = await call(server.url, 'POST', `/api/v1/admin/withdrawals/${w.body.id}/mark-paid`, {
      token: admin.accessToken,
      body: { reference: 'SEPA-123' },
    });
    expect(paid.body).toMatchObject({ status: 'PAID', reference: 'SEPA-123' });
    const all = await call(server.url, 'GET', '/api/v1/withdrawals?all=true', { token: admin.accessToken });
    expect(all.body.items.some((x: { id: string }) => x.id === w.body.id)).toBe(true);
    const mine = await call(server.url, 'GET', '/api/v1/withdrawals?all=true', { token: fresh });
    expect(mine.body.items.every((x: { userId: string }) => x.userId === user.id)).toBe(true);
    const check = await call(server.url, 'GET', '/api/v1/admin/ledger/check', { token: admin.accessToken });
    expect(check.body).toMatchObject({ balanced: true, totalCents: 0 });
    // …and explains the pool: $400 in, $100 gained, $20 fee, $480 paid out, supported by the model's report.
    expect(check.body.pools.find((p: { poolId: string }) => p.poolId === pool.id)).toMatchObject({
      capitalInCents: 40_000,
      tradingResultCents: 10_000,
      feesCents: 2_000,
      payoutsCents: 48_000,
      unsupported: false,
    });
    expect((await call(server.url, 'GET', '/api/v1/admin/ledger/check', { token: fresh })).status).toBe(403);
  });

  it('mail goes through a real SMTP server when SMTP_URL is set', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, done) {
        let text = '';
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        stream.on('end', () => {
          received.push(text);
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const user = await signUp();
      await call(server.url, 'POST', '/api/v1/wallet/deposits', {
        token: user.token,
        body: { amountCents: 4_200 },
      });
      const transport = mailTransport({ ...server.env, smtpUrl: `smtp://127.0.0.1:${port}` });
      await deliverQueuedMail(server.services, transport);
      const mail = received.find((m) => m.includes(user.email));
      expect(mail).toContain('Deposit received: $42.00');
      const { mailOutbox } = suite.getDb().schema;
      const rows = await suite.getDb().db.select().from(mailOutbox);
      expect(rows.find((r) => r.toAddress === user.email)?.status).toBe('SENT');
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describeEachDialect('Stripe payments', (suite) => {
  let fake: Server;
  let server: TestServer;
  const sessions: Record<string, string>[] = [];
  const WEBHOOK_SECRET = 'whsec_stripe_test_secret';

  beforeAll(async () => {
    // A local stand-in for api.stripe.com: the official SDK talks to it over HTTP.
    fake = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
          const params = Object.fromEntries(new URLSearchParams(body));
          sessions.push(params);
          const id = `cs_test_${sessions.length}`;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id,
              object: 'checkout.session',
              url: `https://checkout.stripe.test/pay/${id}`,
              metadata: {},
            }),
          );
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no fake for ${req.method} ${req.url}` } }));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const port = (fake.address() as AddressInfo).port;
    server = await startTestServer(suite.getDb(), {
      env: {
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_fake',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: `http://127.0.0.1:${port}`,
        RATE_LIMIT_PER_MIN: '100000',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });

  it('a deposit opens a Checkout session; the signed completion credits the wallet once', async () => {
    const reg = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email: `stripe-${suite.dialect}@example.com`, password: PASSWORD },
    });
    const token = reg.body.accessToken as string;
    const started = await call(server.url, 'POST', '/api/v1/wallet/deposits', {
      token,
      body: { amountCents: 2_500 },
    });
    expect(started.status).toBe(200);
    expect(started.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/pay\/cs_test_/);
    const sent = sessions.at(-1) ?? {};
    expect(sent['line_items[0][price_data][unit_amount]']).toBe('2500');
    const paymentId = sent['metadata[paymentId]'];
    expect(paymentId).toBeTruthy();

    const stripe = new Stripe('sk_test_fake');
    const payload = JSON.stringify({
      id: 'evt_test_1',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_test_x', object: 'checkout.session', metadata: { paymentId } } },
    });
    const post = (body: string, signature: string) =>
      fetch(`${server.url}/api/v1/webhook/payments/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    expect((await post(payload, good)).status).toBe(200);
    expect((await post(payload, good)).status).toBe(200);
    expect(
      (await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong' })))
        .status,
    ).toBe(401);
    expect((await call(server.url, 'GET', '/api/v1/wallet', { token })).body).toEqual({
      balanceCents: 2_500,
      heldCents: 0,
    });
    const subscribe = await call(server.url, 'POST', '/api/v1/auth/subscribe', { token });
    expect(subscribe.body.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(sessions.at(-1)?.['line_items[0][price_data][unit_amount]']).toBe('200');
  });
});
