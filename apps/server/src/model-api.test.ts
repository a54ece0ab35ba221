import { createPool, runScheduledTransitions } from '@tradepool/api/server';
import { createTestUser, type TestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const ENV_KEY = 'env-model-key-0123456789abcdefghijklmnop';
const HOUR = 3_600_000;

describeEachDialect('model API over HTTP', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let admin: TestUser;
  let activePoolId: string;
  let pendingPoolId: string;

  /** tRPC over HTTP, as the SPA calls it. */
  async function trpc(path: string, token: string, input?: unknown, method: 'GET' | 'POST' = 'POST') {
    const url =
      method === 'GET'
        ? `${server.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
        : `${server.url}/trpc/${path}`;
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify(input ?? {}) : undefined,
    });
    // biome-ignore lint/suspicious/noExplicitAny: each procedure answers its own shape; the tests read the fields they expect
    const body = (await res.json()) as { result?: { data?: any }; error?: any };
    return { status: res.status, data: body.result?.data, error: body.error };
  }

  async function adminToken(): Promise<string> {
    const res = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: admin.email, password: 'a-test-password' },
    });
    return res.body.accessToken;
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000', MODEL_API_KEY: ENV_KEY },
    });
    admin = await createTestUser(server.services, 'ADMIN');
    const manager = await createTestUser(server.services, 'MANAGER');
    const investor = await createTestUser(server.services, 'INVESTOR');
    const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
    const input = {
      description: '',
      strategy: 'MOMENTUM_BTC' as const,
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM' as const,
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(100),
      settleDate: at(101),
    };
    const active = await createPool(manager.ctx, { ...input, name: 'Model pool' });
    const pending = await createPool(manager.ctx, { ...input, name: 'Not yet', startDate: at(50) });
    activePoolId = active.id;
    pendingPoolId = pending.id;
    // Capital raised before activation: the investor goes through the real HTTP routes.
    const token = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: investor.email, password: 'a-test-password' },
      })
    ).body.accessToken;
    await call(server.url, 'POST', '/api/v1/auth/subscribe', { token });
    await call(server.url, 'POST', '/api/v1/wallet/deposits', { token, body: { amountCents: 50_000 } });
    const invested = await call(server.url, 'POST', '/api/v1/investments', {
      token,
      body: { poolId: active.id, amountCents: 25_000 },
    });
    expect(invested.status, JSON.stringify(invested.body)).toBe(201);
    clock.advance(2 * HOUR);
    await runScheduledTransitions(server.services);
  });
  afterAll(async () => {
    await server.close();
  });

  it('an admin creates a key (shown once), lists it without secrets, and the key reads the trading pools', async () => {
    const token = await adminToken();
    const created = await trpc('admin.integrations.createModelKey', token, { name: 'Quant desk' });
    expect(created.status, JSON.stringify(created.error)).toBe(200);
    const key: string = created.data.key;
    expect(key).toMatch(/^tpk_[A-Za-z0-9_-]{40,}$/);
    expect(created.data.apiKey).toMatchObject({ name: 'Quant desk', revokedAt: null, lastUsedAt: null });

    const pools = await call(server.url, 'GET', '/api/v1/model/pools', { token: key });
    expect(pools.status, JSON.stringify(pools.body)).toBe(200);
    const ids = pools.body.items.map((p: { id: string }) => p.id);
    expect(ids).toContain(activePoolId);
    expect(ids).not.toContain(pendingPoolId);
    const pool = pools.body.items.find((p: { id: string }) => p.id === activePoolId);
    expect(pool).toMatchObject({
      name: 'Model pool',
      pair: 'BTC/USDT',
      status: 'ACTIVE',
      capitalCents: 25_000,
      equityCents: 25_000,
      lastReportAt: null,
    });
    expect(pool.capitalFlows).toHaveLength(1);
    expect(pool.capitalFlows[0].amountCents).toBe(25_000);
    expect(Number.isNaN(Date.parse(pool.capitalFlows[0].at))).toBe(false);

    const list = await trpc('admin.integrations.modelKeys', token, undefined, 'GET');
    expect(list.status).toBe(200);
    const listed = list.data.items.find((k: { id: string }) => k.id === created.data.apiKey.id);
    expect(listed.lastUsedAt).toBe(clock.now().toISOString());
    expect(listed.prefix).toBe(`${key.slice(0, 10)}…`);
    expect(JSON.stringify(list.data)).not.toContain(key);
    expect(JSON.stringify(list.data)).not.toContain(key.slice(10));

    const audit = await call(server.url, 'GET', '/api/v1/admin/audit?action=model_api_key.created', {
      token,
    });
    expect(JSON.stringify(audit.body)).toContain('model_api_key.created');
  });

  it('a revoked key, a made-up key, no key and a user access token all get 401 on the model API', async () => {
    const token = await adminToken();
    const created = await trpc('admin.integrations.createModelKey', token, { name: 'Short lived' });
    const key: string = created.data.key;
    expect((await call(server.url, 'GET', '/api/v1/model/pools', { token: key })).status).toBe(200);
    const revoked = await trpc('admin.integrations.revokeModelKey', token, { id: created.data.apiKey.id });
    expect(revoked.status).toBe(200);
    expect(revoked.data.revokedAt).not.toBeNull();
    const again = await trpc('admin.integrations.revokeModelKey', token, { id: created.data.apiKey.id });
    expect(again.status).toBe(409);
    for (const bearer of [key, `tpk_${'x'.repeat(43)}`, token, undefined]) {
      const res = await call(server.url, 'GET', '/api/v1/model/pools', bearer ? { token: bearer } : {});
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    }
    const audit = await call(server.url, 'GET', '/api/v1/admin/audit?action=model_api_key.revoked', {
      token,
    });
    expect(JSON.stringify(audit.body)).toContain('model_api_key.revoked');
  });

  it('MODEL_API_KEY from the environment works; a model key is no good anywhere else; only admins manage keys', async () => {
    const viaEnv = await call(server.url, 'GET', '/api/v1/model/pools', { token: ENV_KEY });
    expect(viaEnv.status).toBe(200);
    expect(viaEnv.body.items.length).toBeGreaterThan(0);
    const token = await adminToken();
    const created = await trpc('admin.integrations.createModelKey', token, { name: 'Scoped' });
    for (const bearer of [created.data.key, ENV_KEY]) {
      expect((await call(server.url, 'GET', '/api/v1/pools', { token: bearer })).status).toBe(401);
      expect((await call(server.url, 'GET', '/api/v1/wallet', { token: bearer })).status).toBe(401);
      expect((await call(server.url, 'GET', '/api/v1/admin/audit', { token: bearer })).status).toBe(401);
      expect((await trpc('model.pools', bearer, undefined, 'GET')).status).toBe(401);
    }
    const investor = await createTestUser(server.services, 'INVESTOR');
    const investorToken = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: investor.email, password: 'a-test-password' },
      })
    ).body.accessToken;
    expect((await trpc('admin.integrations.createModelKey', investorToken, { name: 'nope' })).status).toBe(
      403,
    );
    expect((await trpc('admin.integrations.modelKeys', investorToken, undefined, 'GET')).status).toBe(403);
    const blank = await trpc('admin.integrations.createModelKey', token, { name: '   ' });
    expect(blank.status).toBe(400);
  });

  it('the OpenAPI document describes the model API, statements and wallet transactions', async () => {
    const doc = (await call(server.url, 'GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/model/pools', '/pools/{id}/statement', '/wallet/transactions']),
    );
    const query = doc.paths['/wallet/transactions'].get.parameters.map((p: { name: string }) => p.name);
    expect(query).toEqual(expect.arrayContaining(['cursor', 'limit', 'format']));
  });
});
