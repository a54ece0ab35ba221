import { randomUUID } from 'node:crypto';
import type { AppRouter } from '@tradepool/api';
import { createPool, quantileFromBuckets, runScheduledTransitions } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { io as connect } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPool, startTestServer, type TestServer } from './test-support';

const SECRET = 'whsec_bWV0cmljcy10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5YWJj';

/** The value of one series in Prometheus text: `name{a="x",b="y"} 12`, labels matched as a subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : Number.NaN;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('quantileFromBuckets', () => {
  it('interpolates inside the bucket that holds the rank, and says null with no observations', () => {
    expect(quantileFromBuckets([{ le: Number.POSITIVE_INFINITY, count: 0 }], 0.5)).toBeNull();
    const buckets = [
      { le: 0.1, count: 50 },
      { le: 0.2, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(quantileFromBuckets(buckets, 0.5)).toBeCloseTo(0.1);
    expect(quantileFromBuckets(buckets, 0.75)).toBeCloseTo(0.15);
  });
});

describeEachDialect('GET /metrics', (suite) => {
  let server: TestServer;
  let activePool: string;
  let adminToken: string;
  let investorToken: string;

  const webhook = new Webhook(SECRET);
  async function deliver(body: string, options: { id?: string; signature?: string } = {}) {
    const id = options.id ?? `msg_${randomUUID()}`;
    const at = new Date();
    const res = await fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': options.signature ?? webhook.sign(id, at, body),
      },
      body,
    });
    return { status: res.status, id, body: (await res.json()) as { id?: string } };
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      env: { MODEL_WEBHOOK_SECRET: SECRET, RATE_LIMIT_PER_MIN: '100000' },
    });
    // Promoted after registering, so its first token carries the old role: sign in again as the admin.
    const admin = await createTestUser(server.services, 'ADMIN');
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: 'a-test-password' }),
    });
    adminToken = ((await login.json()) as { accessToken: string }).accessToken;
    investorToken = (await createTestUser(server.services, 'INVESTOR')).accessToken;
    activePool = await publishedPool(server.services, 'Metrics');
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers Prometheus text with every family the contract names, open in development', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const family of [
      'tradepool_http_requests_total counter',
      'tradepool_http_request_duration_seconds histogram',
      'tradepool_webhook_deliveries_total counter',
      'tradepool_socketio_connections gauge',
      'tradepool_sse_streams gauge',
      'tradepool_event_dispatch_lag_seconds histogram',
      'tradepool_events_dispatched_total counter',
      'tradepool_scheduler_runs_total counter',
      'tradepool_scheduler_transitions_total counter',
      'tradepool_db_pool_connections gauge',
      'tradepool_db_pool_waiting gauge',
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    expect(sample(text, 'tradepool_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(0);
  });

  it('counts HTTP requests by route pattern and status, never by raw path', async () => {
    const before = await scrape(server.url);
    const poolsRoute = { method: 'GET', route: '/api/v1/pools/{id}', status: '200' };
    const beforePools = sample(before, 'tradepool_http_requests_total', poolsRoute) || 0;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/api/v1/pools/${activePool}`, {
        headers: { authorization: `Bearer ${investorToken}` },
      });
      expect(res.status).toBe(200);
    }
    const missing = await fetch(`${server.url}/api/v1/pools/no-such-pool-123`, {
      headers: { authorization: `Bearer ${investorToken}` },
    });
    expect(missing.status).toBe(404);
    const trpc = await fetch(`${server.url}/trpc/system.info`);
    expect(trpc.status).toBe(200);

    const after = await scrape(server.url);
    expect(sample(after, 'tradepool_http_requests_total', poolsRoute)).toBe(beforePools + 3);
    expect(
      sample(after, 'tradepool_http_requests_total', { route: '/api/v1/pools/{id}', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'tradepool_http_request_duration_seconds_count', poolsRoute)).toBeGreaterThanOrEqual(
      3,
    );
    expect(sample(after, 'tradepool_http_requests_total', { route: '/trpc/system.info' })).toBeGreaterThan(0);
    // One series per route, not per id.
    expect(after).not.toContain(activePool);
    expect(after).not.toContain('no-such-pool-123');
  });

  it('counts webhook deliveries by outcome, and measures dispatch lag as events reach a socket', async () => {
    const before = await scrape(server.url);
    const count = (text: string, outcome: string) =>
      sample(text, 'tradepool_webhook_deliveries_total', { outcome }) || 0;

    const socket = connect(server.url, {
      transports: ['websocket'],
      auth: { token: `Bearer ${investorToken}` },
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      expect(await socket.emitWithAck('pool:subscribe', { poolId: activePool })).toEqual({ ok: true });
      const live = await scrape(server.url);
      expect(sample(live, 'tradepool_socketio_connections')).toBe(1);

      const body = JSON.stringify({
        event: 'trade_executed',
        poolId: activePool,
        data: { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price: 45000 },
      });
      const heard = new Promise<{ id: string }>((resolve) => socket.once('trade:executed', resolve));
      const accepted = await deliver(body);
      expect(accepted.status).toBe(202);
      expect((await heard).id).toBe(accepted.body.id);
      const duplicate = await deliver(body, { id: accepted.id });
      expect(duplicate.status).toBe(200);
      const forged = await deliver(body, { signature: 'v1,Zm9yZ2VkLXNpZ25hdHVyZQ==' });
      expect(forged.status).toBe(401);
      const invalid = await deliver(
        JSON.stringify({ event: 'trade_executed', poolId: activePool, data: {} }),
      );
      expect(invalid.status).toBe(400);

      const after = await scrape(server.url);
      expect(count(after, 'accepted')).toBe(count(before, 'accepted') + 1);
      expect(count(after, 'duplicate')).toBe(count(before, 'duplicate') + 1);
      expect(count(after, 'bad_signature')).toBe(count(before, 'bad_signature') + 1);
      expect(count(after, 'invalid')).toBe(count(before, 'invalid') + 1);
      expect(sample(after, 'tradepool_events_dispatched_total')).toBeGreaterThan(
        sample(before, 'tradepool_events_dispatched_total'),
      );
      expect(sample(after, 'tradepool_event_dispatch_lag_seconds_count')).toBeGreaterThan(
        sample(before, 'tradepool_event_dispatch_lag_seconds_count'),
      );
    } finally {
      socket.close();
    }
  });

  it('counts scheduler runs and the transitions they made', async () => {
    // Ticks run through the scheduler handle, as the cron does; a second server keeps this one's numbers apart.
    const clock = new ManualClock(new Date());
    const ticking = await startTestServer(suite.getDb(), { scheduler: true, clock });
    try {
      const manager = await createTestUser(ticking.services, 'MANAGER');
      const soon = new Date(clock.now().getTime() + 60_000);
      const pool = await createPool(manager.ctx, {
        name: 'Due',
        description: '',
        strategy: 'SWING_ETH',
        pair: 'ETH/USDT',
        riskLevel: 'LOW',
        targetAmountCents: 100_000,
        minInvestmentCents: 100,
        startDate: soon.toISOString(),
        endDate: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      });
      expect(pool.status).toBe('PENDING');
      // Anything else already due is moved now, so the next tick sees only this pool.
      await runScheduledTransitions(ticking.services);
      const before = await scrape(ticking.url);
      clock.set(soon.getTime() + 1000);
      const result = await ticking.scheduler?.tick();
      expect(result?.activated).toBeGreaterThanOrEqual(1);
      const after = await scrape(ticking.url);
      expect(sample(after, 'tradepool_scheduler_runs_total', { result: 'ok' })).toBe(
        sample(before, 'tradepool_scheduler_runs_total', { result: 'ok' }) + 1,
      );
      expect(sample(after, 'tradepool_scheduler_transitions_total', { to: 'ACTIVE' })).toBe(
        sample(before, 'tradepool_scheduler_transitions_total', { to: 'ACTIVE' }) + (result?.activated ?? 0),
      );
    } finally {
      await ticking.close();
    }
  });

  it('gives admins the same numbers as a JSON summary, and investors FORBIDDEN', async () => {
    const client = (token: string) =>
      createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
      });
    const summary = await client(adminToken).admin.operations.metrics.query();
    expect(summary.http.requests).toBeGreaterThan(0);
    expect(summary.webhooks.byOutcome.accepted).toBeGreaterThanOrEqual(1);
    expect(summary.dispatch.events).toBeGreaterThanOrEqual(1);
    expect(summary.database.dialect).toBe(suite.getDb().dialect);
    expect(summary.http.routes.map((r) => r.route)).toContain('/api/v1/pools/{id}');
    const refused = await client(investorToken)
      .admin.operations.metrics.query()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('FORBIDDEN');
  });
});

describeEachDialect('GET /metrics in production', (suite) => {
  const production = {
    NODE_ENV: 'production',
    MODEL_WEBHOOK_SECRET: SECRET,
    REQUIRE_ADMIN_2FA: 'false',
  };

  it('answers 404 without METRICS_TOKEN configured', async () => {
    const server = await startTestServer(suite.getDb(), { env: production });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' });
      const withSomeToken = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer x' } });
      expect(withSomeToken.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('needs Authorization: Bearer <METRICS_TOKEN> when it is configured', async () => {
    const token = 'metrics-token-for-the-scraper-0123456789';
    const server = await startTestServer(suite.getDb(), { env: { ...production, METRICS_TOKEN: token } });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('# TYPE tradepool_http_requests_total counter');
    } finally {
      await server.close();
    }
  });
});
