import { randomUUID } from 'node:crypto';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishedPool, startTestServer, type TestServer, testEnv } from './test-support';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LIMIT = 5;

describeEachDialect('model webhook refusals per client IP (CONTRACT §8)', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let poolId: string;

  const unsigned = (id = `msg_${randomUUID()}`) =>
    fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
        'webhook-signature': 'v1,bm90LWEtc2lnbmF0dXJl',
      },
      body: JSON.stringify({ event: 'pool_update', poolId, data: { message: 'forged' } }),
    });

  const signed = () => {
    const body = JSON.stringify({ event: 'pool_update', poolId, data: { message: 'real' } });
    const id = `msg_${randomUUID()}`;
    return fetch(`${server.url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(clock.now().getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, clock.now(), body),
      },
      body,
    });
  };

  async function storedRefusals() {
    const db = suite.getDb();
    const rows = await db.db.select().from(db.schema.webhookDeliveries);
    return rows.filter((r) => r.outcome === 'REFUSED').length;
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { MODEL_WEBHOOK_SECRET: SECRET, WEBHOOK_REFUSALS_PER_MIN: String(LIMIT) },
    });
    poolId = await publishedPool(server.services);
  });
  afterAll(async () => {
    await server.close();
  });

  it('defaults to 120 refusals per minute', () => {
    expect(testEnv().webhookRefusalsPerMin).toBe(120);
    expect(() => testEnv({ WEBHOOK_REFUSALS_PER_MIN: '0' })).toThrow(/WEBHOOK_REFUSALS_PER_MIN/);
  });

  it('answers 429 with Retry-After beyond the limit, stores no row for the excess, and still accepts signed deliveries', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await unsigned();
      expect(res.status, `refusal ${i + 1}`).toBe(401);
    }
    expect(await storedRefusals()).toBe(LIMIT);

    // A burst far over the limit, concurrently: every one 429, none stored.
    const burst = await Promise.all(Array.from({ length: 50 }, () => unsigned()));
    for (const res of burst) {
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await res.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    }
    expect(await storedRefusals()).toBe(LIMIT);

    // Only refusals are limited: the real model behind the same address keeps getting through.
    const accepted = await signed();
    expect(accepted.status).toBe(202);

    // On Postgres the count lives in the shared rate_limits table: another process (here a second server on the same
    // database) refuses the same address at once instead of granting it a fresh budget. SQLite is single-process.
    if (suite.dialect === 'postgres') {
      const second = await startTestServer(suite.getDb(), {
        clock,
        env: { MODEL_WEBHOOK_SECRET: SECRET, WEBHOOK_REFUSALS_PER_MIN: String(LIMIT) },
      });
      try {
        const res = await fetch(`${second.url}/api/v1/webhook/model`, { method: 'POST', body: '{}' });
        expect(res.status).toBe(429);
        expect(await storedRefusals()).toBe(LIMIT);
      } finally {
        await second.close();
      }
    }

    // The next minute starts a new budget: refusals are answered and logged normally again.
    clock.advance(60_000);
    expect((await unsigned()).status).toBe(401);
    expect(await storedRefusals()).toBe(LIMIT + 1);
  });
});
