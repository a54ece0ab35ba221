import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { actOnPool, createPool } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator } from './simulator';
import { call, startTestServer, type TestServer } from './test-support';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const SECRET = 'whsec_cHl0aG9uLWNsaWVudC10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5';

const API_KEY = 'model-client-test-key-0123456789abcdef';

describeEachDialect('model clients against a real server', (suite) => {
  let server: TestServer;
  let poolId: string;
  let emptyPoolId: string;

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      env: { MODEL_WEBHOOK_SECRET: SECRET, MODEL_API_KEY: API_KEY, RATE_LIMIT_PER_MIN: '100000' },
    });
    const manager = await createTestUser(server.services, 'MANAGER');
    const investor = await createTestUser(server.services, 'INVESTOR');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
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
    const pool = await createPool(manager.ctx, { ...input, name: 'Python desk' });
    const empty = await createPool(manager.ctx, { ...input, name: 'Nobody invested' });
    // $1,000 of real capital, through the real routes, before the pool starts trading.
    const token = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: investor.email, password: 'a-test-password' },
      })
    ).body.accessToken;
    await call(server.url, 'POST', '/api/v1/auth/subscribe', { token });
    await call(server.url, 'POST', '/api/v1/wallet/deposits', { token, body: { amountCents: 100_000 } });
    const invested = await call(server.url, 'POST', '/api/v1/investments', {
      token,
      body: { poolId: pool.id, amountCents: 100_000 },
    });
    expect(invested.status, JSON.stringify(invested.body)).toBe(201);
    poolId = (await actOnPool(manager.ctx, pool.id, 'publish')).id;
    emptyPoolId = (await actOnPool(manager.ctx, empty.id, 'publish')).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('examples/model_client.py lists its pools with the model API key, signs, posts, retries once, and reports PnL', async () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(EXAMPLES)})
from model_client import TradepoolModelClient, DeliveryError
client = TradepoolModelClient(sys.argv[1], sys.argv[2], api_key=sys.argv[4])
pool = sys.argv[3]
pools = client.pools()
first = client.trade_executed(pool, "BUY", "BTC/USDT", "0.5", "45000.10", fee="1.25", trade_id="py-1", webhook_id="py-fixed-id")
again = client.trade_executed(pool, "BUY", "BTC/USDT", "0.5", "45000.10", fee="1.25", trade_id="py-1", webhook_id="py-fixed-id")
pnl = client.pnl_update(pool, realized_pnl="400", unrealized_pnl="123.45", with_equity=True)
status = client.pool_update(pool, message="hello from python", metrics={"sharpe": 1.4})
def refusal(call):
    try:
        call()
        return None
    except DeliveryError as error:
        return error.status
wrong_equity = refusal(lambda: client.pnl_update(pool, realized_pnl="500", unrealized_pnl="0", equity="99999"))
wrong_secret = refusal(lambda: TradepoolModelClient(sys.argv[1], "whsec_" + "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==").pnl_update(pool, "1", "0"))
wrong_key = refusal(lambda: TradepoolModelClient(sys.argv[1], api_key="tpk_wrong").pools())
print(json.dumps({"pools": pools, "first": first, "again": again, "pnl": pnl, "status": status,
                  "wrongEquity": wrong_equity, "wrongSecret": wrong_secret, "wrongKey": wrong_key}))
`;
    const { stdout } = await run('python3', ['-c', script, server.url, SECRET, poolId, API_KEY], {
      timeout: 30_000,
    });
    const result = JSON.parse(stdout.trim());
    const listed = result.pools.find((p: { id: string }) => p.id === poolId);
    expect(listed).toMatchObject({ name: 'Python desk', status: 'ACTIVE', capitalCents: 100_000 });
    expect(listed.capitalFlows).toEqual([{ at: expect.any(String), amountCents: 100_000 }]);
    expect(result.first).toMatchObject({ status: 202, accepted: true, webhookId: 'py-fixed-id' });
    expect(result.again).toMatchObject({ status: 200, accepted: true, duplicate: true });
    expect(result.pnl.status).toBe(202);
    expect(result.status.status).toBe(202);
    expect(result.wrongEquity).toBe(409);
    expect(result.wrongSecret).toBe(401);
    expect(result.wrongKey).toBe(401);
    const { trades, pools } = suite.getDb().schema;
    const stored = await suite.getDb().db.select().from(trades).where(eq(trades.poolId, poolId));
    expect(stored.filter((t) => t.externalId === 'py-1')).toHaveLength(1);
    expect(stored.find((t) => t.externalId === 'py-1')).toMatchObject({
      price: '45000.1',
      quantity: '0.5',
      feeCents: 125,
    });
    const [pool] = await suite.getDb().db.select().from(pools).where(eq(pools.id, poolId));
    // $1,000 of capital + $400 realized + $123.45 unrealized; the refused report changed nothing.
    expect(pool?.equityCents).toBe(152_345);
    expect(pool?.realizedPnlCents).toBe(40_000);
    expect(pool?.modelStatus).toMatchObject({ message: 'hello from python', metrics: { sharpe: 1.4 } });
  });

  it('the command line lists pools, posts cumulative PnL with a computed equity, and exits non-zero on refusal', async () => {
    const env = {
      ...process.env,
      TRADEPOOL_URL: server.url,
      MODEL_WEBHOOK_SECRET: SECRET,
      MODEL_API_KEY: API_KEY,
    };
    const listed = await run('python3', [`${EXAMPLES}model_client.py`, 'pools', '--json'], { env });
    expect(JSON.parse(listed.stdout).items.map((p: { id: string }) => p.id)).toContain(poolId);
    const table = await run('python3', [`${EXAMPLES}model_client.py`, 'pools'], { env });
    expect(table.stdout).toContain('Python desk');
    expect(table.stdout).toContain('$1000.00');
    const pnl = await run(
      'python3',
      [`${EXAMPLES}model_client.py`, 'pnl', poolId, '410', '0', '--with-equity'],
      { env },
    );
    expect(JSON.parse(pnl.stdout)).toMatchObject({ status: 202, accepted: true });
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

  it('the built-in simulator reads the model API service, reports PnL on the real capital, none refused, quiet for empty pools', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const { pools } = suite.getDb().schema;
    const [before] = await suite.getDb().db.select().from(pools).where(eq(pools.id, poolId));
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
    // One accepted PnL report per tick, whatever the earlier tests reported.
    const snapshots = await suite
      .getDb()
      .db.select()
      .from(pnlSnapshots)
      .where(eq(pnlSnapshots.poolId, poolId));
    expect(snapshots.filter((s) => s.webhookId.startsWith('sim_'))).toHaveLength(8);
    // Nobody put money in this one: the demo model says nothing about it.
    const empty = await suite
      .getDb()
      .db.select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.poolId, emptyPoolId));
    expect(empty).toEqual([]);
    // It picks up from the last accepted report, and a few percent a day on the pool's value means seconds of
    // simulated trading move it by far less than a percent.
    const [pool] = await suite.getDb().db.select().from(pools).where(eq(pools.id, poolId));
    expect(pool?.capitalCents).toBe(100_000);
    const start = before?.equityCents ?? 0;
    expect(start).toBeGreaterThan(0);
    expect(Math.abs((pool?.equityCents ?? 0) - start)).toBeLessThan(start / 100);
    expect(
      (await suite.getDb().db.select().from(trades).where(eq(trades.poolId, poolId))).some((t) =>
        t.externalId?.startsWith('sim-'),
      ),
    ).toBe(true);
  });
});
