import { request } from 'node:http';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer, testAccount, testPool } from './test-support';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a real socket, the answer exactly as it came (headers and body as sent). */
function raw(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const ORIGIN = 'https://app.example';

/**
 * What every tRPC answer carries, whichever way it is produced (the procedure's answer, an error, a refusal by the
 * middleware): the request id, the security headers, CORS for an allowed origin, Vary, and a body whose length is
 * the Content-Length sent.
 */
function expectApiHeaders(answer: Raw, requestId: string) {
  expect(answer.headers['x-request-id']).toBe(requestId);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  expect(answer.headers['access-control-allow-credentials']).toBe('true');
  expect(answer.headers['access-control-expose-headers']).toBe('Retry-After,X-Request-Id');
  expect(answer.headers.vary).toContain('Origin');
  expect(answer.headers['content-type']).toContain('application/json');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
}

describeEachDialect('tRPC over HTTP: headers and bodies', (suite) => {
  let server: TestServer;
  let token = '';

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), { env: { CORS_ORIGINS: ORIGIN } });
    const manager = await testAccount(server.url, suite.getDb(), 'headers-manager@example.com', 'MANAGER');
    for (let i = 0; i < 3; i++) {
      await testPool(server.url, manager.token, `Headers pool ${i}`);
    }
    token = (await createTestUser(server.services, 'INVESTOR')).accessToken;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers a query with every header of the middleware and the whole JSON body', async () => {
    const answer = await raw(`${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'x-request-id': 'list-1' },
    });
    expect(answer.status).toBe(200);
    expectApiHeaders(answer, 'list-1');
    expect(answer.headers.vary).toBe('trpc-accept, accept, Accept-Encoding, Origin');
    const items = JSON.parse(answer.body).result.data.items as { name: string }[];
    expect(items.map((p) => p.name).sort()).toEqual(['Headers pool 0', 'Headers pool 1', 'Headers pool 2']);

    const portfolio = await raw(`${server.url}/trpc/investments.list`, {
      headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'x-request-id': 'portfolio-1' },
    });
    expect(portfolio.status).toBe(200);
    expectApiHeaders(portfolio, 'portfolio-1');
    expect(JSON.parse(portfolio.body).result.data).toEqual({ items: [], nextCursor: null });
  });

  it('answers a batch and an error the same way', async () => {
    const batch = await raw(
      `${server.url}/trpc/pools.list,investments.list?batch=1&input=${encodeURIComponent('{"0":{}}')}`,
      { headers: { authorization: `Bearer ${token}`, origin: ORIGIN, 'x-request-id': 'batch-1' } },
    );
    expect(batch.status).toBe(200);
    expectApiHeaders(batch, 'batch-1');
    expect(JSON.parse(batch.body)).toHaveLength(2);

    const refused = await raw(`${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`, {
      headers: { origin: ORIGIN, 'x-request-id': 'anonymous-1' },
    });
    expect(refused.status).toBe(401);
    expectApiHeaders(refused, 'anonymous-1');
    expect(JSON.parse(refused.body).error.data.appCode).toBe('UNAUTHORIZED');
  });

  it('answers a query from an origin it does not know without CORS headers, and a preflight with them', async () => {
    const foreign = await raw(`${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers.vary).toContain('Origin');

    const preflight = await raw(`${server.url}/trpc/pools.list`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST,PATCH,PUT,DELETE,OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'Authorization,Content-Type,Idempotency-Key,X-Request-Id',
    );
    expect(preflight.headers['access-control-max-age']).toBe('600');
  });
});
