import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeEachDialect } from '@tradepool/db/testing';
import { systemClock } from '@tradepool/domain';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from './app';
import { buildServices } from './services';
import { json, testEnv } from './test-support';

function appFor(
  database: Parameters<typeof buildServices>[0]['database'],
  webDist: string | null = null,
  env = testEnv(),
) {
  const services = buildServices({
    env,
    database,
    log: pino({ level: 'silent' }),
    clock: systemClock,
    version: '1.2.3',
  });
  return createApp({ env, services, version: '1.2.3', webDist }).app;
}

describeEachDialect('http app', (suite) => {
  it('answers /healthz and /readyz', async () => {
    const app = appFor(suite.getDb());
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await json(health)).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await json(ready)).toEqual({ status: 'ready', database: suite.dialect });
  });

  it('gives every response a request id and security headers', async () => {
    const app = appFor(suite.getDb());
    const response = await app.request('/healthz', { headers: { 'x-request-id': 'trace-me-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-me-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const generated = await app.request('/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the REST API generated from the tRPC procedures', async () => {
    const app = appFor(suite.getDb());
    const info = await app.request('/api/v1/info');
    expect(info.status).toBe(200);
    const body = await json(info);
    expect(body).toMatchObject({
      name: 'Tradepool',
      version: '1.2.3',
      environment: 'test',
      paymentProvider: 'demo',
    });
    expect(Number.isNaN(Date.parse(body.serverTime))).toBe(false);
  });

  it('serves the tRPC endpoint', async () => {
    const app = appFor(suite.getDb());
    const response = await app.request('/trpc/system.info');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.result.data).toMatchObject({ name: 'Tradepool', version: '1.2.3' });
  });

  it('publishes an OpenAPI document and interactive docs served locally', async () => {
    const app = appFor(suite.getDb());
    const doc = await json(await app.request('/api/v1/openapi.json'));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/info', '/auth/login', '/auth/register', '/auth/me']),
    );
    const docs = await app.request('/api/v1/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/api/v1/docs/assets/swagger-ui-bundle.js');
    const asset = await app.request('/api/v1/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await app.request('/api/v1/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('answers unknown routes and bad requests with the contract error body', async () => {
    const app = appFor(suite.getDb());
    const unknownApi = await app.request('/api/v1/nope');
    expect(unknownApi.status).toBe(404);
    expect(await json(unknownApi)).toMatchObject({ code: 'NOT_FOUND', message: expect.any(String) });
    const unknown = await app.request('/nope');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).code).toBe('NOT_FOUND');
    const badJson = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).code).toBe('BAD_REQUEST');
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const app = appFor(suite.getDb());
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      body: JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect((await json(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves the built SPA with long-lived asset caching and a client-side-routing fallback', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'tp-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
    const app = appFor(suite.getDb(), dist);

    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('id="root"');

    const asset = await app.request('/assets/main-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');

    const deepLink = await app.request('/admin/users?page=2');
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toContain('id="root"');

    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    // Traversal never escapes the dist directory: at most the SPA shell comes back.
    const traversal = await (await app.request('/..%2F..%2F..%2F..%2Fetc%2Fpasswd')).text();
    expect(traversal).not.toContain('root:');
    expect((await app.request('/..%2F..%2F..%2F..%2Fetc%2Fhostname.txt')).status).toBe(404);
    // API paths never fall back to the SPA.
    expect((await app.request('/api/v1/unknown')).headers.get('content-type')).toContain('application/json');
  });
});

describe('readiness without a database', () => {
  it('an unreachable Postgres: 503 from /readyz, a generic 500 to clients, and the password never in the logs', async () => {
    const { createDatabase } = await import('@tradepool/db');
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const database = await createDatabase('postgres://tradepool:supersecret-password@127.0.0.1:1/tradepool');
    const env = testEnv({ DATABASE_URL: 'postgres://tradepool:supersecret-password@127.0.0.1:1/tradepool' });
    const services = buildServices({ env, database, log, clock: systemClock, version: '1.2.3' });
    const app = createApp({ env, services, version: '1.2.3', webDist: null }).app;
    try {
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      const login = await app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', password: 'whatever-password' }),
      });
      expect(login.status).toBe(500);
      expect(await json(login)).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
      const viaTrpc = await app.request('/trpc/auth.login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', password: 'whatever-password' }),
      });
      const text = await viaTrpc.text();
      expect(viaTrpc.status).toBe(500);
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|supersecret/);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain('supersecret-password');
    } finally {
      await database.close();
    }
  });

  it('answers 503 with a generic error once the database is unreachable', async () => {
    const test = await createTestDatabase('sqlite');
    const app = appFor(test.database);
    expect((await app.request('/readyz')).status).toBe(200);
    await test.dispose();
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await json(response)).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Database unreachable' });
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
