import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { describeEachDialect } from '@tradepool/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { call, startTestServer, type TestServer, testAccount, testPool } from './test-support';

const SECRET = 'whsec_bm9kZS1yb3V0ZS10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5';
const ORIGIN = 'https://app.tradepool.test';

/**
 * The model webhook is answered from Node's request before the Hono app (routes/webhook-model-node.ts): these check
 * what the app's middleware gave it before, on the route itself.
 */
describeEachDialect('model webhook served before Hono', (suite) => {
  let server: TestServer;
  let poolId: string;
  const webhook = new Webhook(SECRET);

  function signed(body: string) {
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': webhook.sign(id, at, body),
    };
  }

  const tradeBody = (pool: string) =>
    JSON.stringify({
      event: 'trade_executed',
      poolId: pool,
      data: { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price: 45000 },
    });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/webhook/model`, { method: 'POST', headers, body });

  async function refusedRows(): Promise<number> {
    const { webhookDeliveries } = suite.getDb().schema;
    const rows = await suite.getDb().db.select().from(webhookDeliveries);
    return rows.filter((row) => row.outcome === 'REFUSED').length;
  }

  /** Sends `sent` bytes of a body announced (or not) by Content-Length, in chunks, and answers what came back. */
  function stream(
    sent: number,
    declared: number | null,
  ): Promise<{ status: number; connection: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}/api/v1/webhook/model`, {
        method: 'POST',
        headers: {
          ...signed('{}'),
          ...(declared === null
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': String(declared) }),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
        );
      });
      // Once answered the server may close the connection while this side is still writing: that is expected.
      req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
      const chunk = Buffer.alloc(16 * 1024, 'x');
      let written = 0;
      const writeMore = () => {
        while (written < sent) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', writeMore);
            return;
          }
        }
        if (declared === null || written >= declared) {
          req.end();
        }
      };
      writeMore();
    });
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      env: { MODEL_WEBHOOK_SECRET: SECRET, CORS_ORIGINS: ORIGIN, LOG_LEVEL: 'debug' },
    });
    const manager = await testAccount(
      server.url,
      suite.getDb(),
      `node-route-${suite.dialect}@example.com`,
      'MANAGER',
    );
    poolId = await testPool(server.url, manager.token, 'Node route');
    expect(
      (await call(server.url, 'POST', `/api/v1/pools/${poolId}/publish`, { token: manager.token })).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers with the request id, and the security and CORS headers of every other API answer', async () => {
    const body = tradeBody(poolId);
    const accepted = await post(body, { ...signed(body), origin: ORIGIN, 'x-request-id': 'model-trace-1' });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('x-request-id')).toBe('model-trace-1');
    // An unsafe id is replaced by a generated one, as for every other route.
    const generated = await post(body, { ...signed(body), 'x-request-id': 'no spaces allowed' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // The same request through the Hono app (an API path with no route) gets the middleware's headers.
    const viaHono = await fetch(`${server.url}/api/v1/no-such-route`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(viaHono.status).toBe(404);
    const varying = new Set(['date', 'content-length', 'x-request-id']);
    const headersOf = (res: Response) =>
      Object.fromEntries([...res.headers].filter(([name]) => !varying.has(name)));
    expect(headersOf(accepted)).toEqual(headersOf(viaHono));
    expect(accepted.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(accepted.headers.get('x-content-type-options')).toBe('nosniff');
    expect(accepted.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('answers 413 to a body over 256 KiB sent in chunks, storing only the refusal', async () => {
    const before = await refusedRows();
    const answer = await stream(300 * 1024, null);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await refusedRows()).toBe(before + 1);
  });

  it('answers 413 at once to a body announced over 1 MiB while the client is still sending, then closes', async () => {
    const answer = await stream(64 * 1024, 2 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    // The server goes on answering on new connections.
    const body = tradeBody(poolId);
    expect((await post(body, signed(body))).status).toBe(202);
  });

  it('counts the request and the delivery in the metrics and logs one line per request', async () => {
    const counter = async (name: string, labels: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${name}{`) && labels.split(',').every((p) => l.includes(p)));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const route = 'route="/api/v1/webhook/model"';
    const before = {
      http202: await counter('tradepool_http_requests_total', `${route},status="202"`),
      http404: await counter('tradepool_http_requests_total', `${route},status="404"`),
      accepted: await counter('tradepool_webhook_deliveries_total', 'outcome="accepted"'),
    };
    const debug = vi.spyOn(server.services.log, 'debug').mockImplementation(() => undefined);
    const info = vi.spyOn(server.services.log, 'info').mockImplementation(() => undefined);
    try {
      const body = tradeBody(poolId);
      const accepted = await post(body, signed(body));
      expect(accepted.status).toBe(202);
      const unknown = tradeBody('no-such-pool');
      const refused = await post(unknown, { ...signed(unknown), 'x-request-id': 'refused-1' });
      expect(refused.status).toBe(404);
      expect(debug).toHaveBeenCalledWith(
        expect.objectContaining({ method: 'POST', path: '/api/v1/webhook/model', status: 202 }),
        'request',
      );
      expect(info).toHaveBeenCalledWith(
        expect.objectContaining({ reqId: 'refused-1', path: '/api/v1/webhook/model', status: 404 }),
        'request',
      );
    } finally {
      debug.mockRestore();
      info.mockRestore();
    }
    expect(await counter('tradepool_http_requests_total', `${route},status="202"`)).toBe(before.http202 + 1);
    expect(await counter('tradepool_http_requests_total', `${route},status="404"`)).toBe(before.http404 + 1);
    expect(await counter('tradepool_webhook_deliveries_total', 'outcome="accepted"')).toBe(
      before.accepted + 1,
    );
  });
});
