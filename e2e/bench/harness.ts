import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actOnPool, createPool, type ServiceDeps } from '@tradepool/api/server';
import { createTestUser, type TestUser } from '@tradepool/api/testing';
import { createDatabase, type Database } from '@tradepool/db';
import { systemClock } from '@tradepool/domain';
import { loadEnv } from '../../apps/server/src/env';
import { createLogger } from '../../apps/server/src/logger';
import { type RunningServer, startServer } from '../../apps/server/src/server';
import { buildServices } from '../../apps/server/src/services';

export const WEBHOOK_SECRET = 'whsec_YmVuY2htYXJrLXdlYmhvb2stc2VjcmV0LTAxMjM0NTY3ODk=';

export interface BenchServer {
  server: RunningServer;
  services: ServiceDeps;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** A production-like server in this process on a fresh database (SQLite by default, BENCH_DATABASE_URL otherwise). */
export async function startBenchServer(
  extraEnv: Record<string, string> = {},
  webDist: string | null = null,
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const env = loadEnv(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `file:${join(dir, 'bench.db')}`,
      JWT_SECRET: 'bench-jwt-secret-bench-jwt-secret-bench',
      MODEL_WEBHOOK_SECRET: WEBHOOK_SECRET,
      RATE_LIMIT_PER_MIN: '100000000',
      REGISTRATIONS_PER_HOUR: '100000000',
      // `WEBHOOK_WORKER=off pnpm bench` measures the webhook stored in the server thread, for comparison.
      ...(process.env.WEBHOOK_WORKER ? { WEBHOOK_WORKER: process.env.WEBHOOK_WORKER } : {}),
      // `SQLITE_CHECKPOINTER=off pnpm bench` measures checkpoints made by the committing connections, for comparison.
      ...(process.env.SQLITE_CHECKPOINTER ? { SQLITE_CHECKPOINTER: process.env.SQLITE_CHECKPOINTER } : {}),
      ...extraEnv,
    },
    dir,
  );
  const database = await createDatabase(env.databaseUrl, {
    walCheckpoints: env.sqliteCheckpointer ? 'thread' : 'commit',
  });
  await database.migrate();
  const services = buildServices({
    env,
    database,
    log: createLogger({ logLevel: 'error', nodeEnv: 'test' }),
    clock: systemClock,
    version: 'bench',
  });
  const server = await startServer({
    env,
    services,
    version: 'bench',
    webDist,
    scheduler: false,
    eventPollMs: 0,
  });
  return { server, services, database, url: server.url, close: () => server.close() };
}

export async function activePool(
  services: ServiceDeps,
  name = 'Bench pool',
): Promise<{ poolId: string; manager: TestUser }> {
  const manager = await createTestUser(services, 'MANAGER');
  const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const pool = await createPool(manager.ctx, {
    name,
    description: '',
    strategy: 'MOMENTUM_BTC',
    pair: 'BTC/USDT',
    riskLevel: 'MEDIUM',
    targetAmountCents: 100_000_000,
    minInvestmentCents: 100,
    startDate: at(1),
    endDate: at(1000),
    settleDate: at(1001),
  });
  await actOnPool(manager.ctx, pool.id, 'publish');
  return { poolId: pool.id, manager };
}

const KEY = Buffer.from(WEBHOOK_SECRET.slice('whsec_'.length), 'base64');

/** A signed Standard Webhooks delivery of one model event. */
export function signedDelivery(
  poolId: string,
  event = 'trade_executed',
  data: Record<string, unknown> = { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price: 45000 },
) {
  const body = JSON.stringify({ event, poolId, data });
  const id = `bench_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', KEY).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${signature}`,
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function round(value: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}

/** Runs `worker` on `concurrency` loops for `durationMs`; returns completed operations per second. */
export async function throughput(
  durationMs: number,
  concurrency: number,
  worker: () => Promise<void>,
): Promise<{ perSecond: number; total: number }> {
  const deadline = performance.now() + durationMs;
  let total = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await worker();
        total++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: total / seconds, total };
}
