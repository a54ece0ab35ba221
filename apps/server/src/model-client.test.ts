import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { actOnPool, createPool } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator } from './simulator';
import { startTestServer, type TestServer } from './test-support';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const SECRET = 'whsec_cHl0aG9uLWNsaWVudC10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5';

describeEachDialect('model clients against a real server', (suite) => {
  let server: TestServer;
  let poolId: string;

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), { env: { MODEL_WEBHOOK_SECRET: SECRET } });
    const manager = await createTestUser(server.services, 'MANAGER');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const pool = await createPool(manager.ctx, {
      name: 'Python desk',
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(100),
      settleDate: at(101),
    });
    poolId = (await actOnPool(manager.ctx, pool.id, 'publish')).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('examples/model_client.py signs, posts, and retries with the same webhook-id without double effects', async () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(EXAMPLES)})
from model_client import TradepoolModelClient, DeliveryError
client = TradepoolModelClient(sys.argv[1], sys.argv[2])
pool = sys.argv[3]
first = client.trade_executed(pool, "BUY", "BTC/USDT", "0.5", "45000.10", fee="1.25", trade_id="py-1", webhook_id="py-fixed-id")
again = client.trade_executed(pool, "BUY", "BTC/USDT", "0.5", "45000.10", fee="1.25", trade_id="py-1", webhook_id="py-fixed-id")
pnl = client.pnl_update(pool, equity="10523.45", realized_pnl="400", unrealized_pnl="123.45")
status = client.pool_update(pool, message="hello from python", metrics={"sharpe": 1.4})
try:
    TradepoolModelClient(sys.argv[1], "whsec_" + "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==").pnl_update(pool, "1", "0", "0")
    refused = None
except DeliveryError as error:
    refused = error.status
print(json.dumps({"first": first, "again": again, "pnl": pnl, "status": status, "refused": refused}))
`;
    const { stdout } = await run('python3', ['-c', script, server.url, SECRET, poolId], { timeout: 30_000 });
    const result = JSON.parse(stdout.trim());
    expect(result.first).toMatchObject({ status: 202, accepted: true, webhookId: 'py-fixed-id' });
    expect(result.again).toMatchObject({ status: 200, accepted: true, duplicate: true });
    expect(result.pnl.status).toBe(202);
    expect(result.status.status).toBe(202);
    expect(result.refused).toBe(401);
    const { trades, pools } = suite.getDb().schema;
    const stored = await suite.getDb().db.select().from(trades).where(eq(trades.poolId, poolId));
    expect(stored.filter((t) => t.externalId === 'py-1')).toHaveLength(1);
    expect(stored.find((t) => t.externalId === 'py-1')).toMatchObject({
      price: '45000.1',
      quantity: '0.5',
      feeCents: 125,
    });
    const [pool] = await suite.getDb().db.select().from(pools).where(eq(pools.id, poolId));
    expect(pool?.equityCents).toBe(1_052_345);
    expect(pool?.modelStatus).toMatchObject({ message: 'hello from python', metrics: { sharpe: 1.4 } });
  });

  it('the command line posts too, and reports a refusal with a non-zero exit', async () => {
    const env = { ...process.env, TRADEPOOL_URL: server.url, MODEL_WEBHOOK_SECRET: SECRET };
    const ok = await run(
      'python3',
      [`${EXAMPLES}model_client.py`, 'trade', poolId, 'SELL', 'BTC/USDT', '0.1', '46000'],
      { env },
    );
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 202, accepted: true });
    await expect(
      run('python3', [`${EXAMPLES}model_client.py`, 'trade', 'no-such-pool', 'SELL', 'BTC/USDT', '1', '1'], {
        env,
      }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('404'),
    });
  });

  it('the built-in simulator posts signed trades and PnL for ACTIVE pools through the webhook, none refused', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const simulator = startSimulator(server.services, { baseUrl: server.url, intervalMs: 3_600_000, random });
    try {
      for (let i = 0; i < 8; i++) {
        await simulator.tick();
      }
    } finally {
      simulator.stop();
    }
    const { webhookDeliveries, pnlSnapshots, trades } = suite.getDb().schema;
    const deliveries = await suite
      .getDb()
      .db.select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.poolId, poolId));
    const simulated = deliveries.filter((d) => d.webhookId?.startsWith('sim_'));
    expect(simulated.length).toBeGreaterThanOrEqual(9);
    expect(simulated.filter((d) => d.outcome !== 'ACCEPTED')).toEqual([]);
    expect(
      (await suite.getDb().db.select().from(pnlSnapshots).where(eq(pnlSnapshots.poolId, poolId))).length,
    ).toBeGreaterThanOrEqual(9);
    expect(
      (await suite.getDb().db.select().from(trades).where(eq(trades.poolId, poolId))).some((t) =>
        t.externalId?.startsWith('sim-'),
      ),
    ).toBe(true);
  });
});
