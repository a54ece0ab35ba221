import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPool } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import type { LiveEvent } from '@tradepool/domain';
import { inArray } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { expect, it } from 'vitest';
import { freePort, startTestServer } from './test-support';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const POOLS = 6;
const TRANSITIONS = ['ACTIVE', 'CLOSED', 'SETTLING'];

/** A real server process (`src/index.ts` under tsx) ticking the scheduler every second on the given database. */
async function spawnServer(databaseUrl: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'test-jwt-secret-shared-by-test-servers-0123456789',
      RATE_LIMIT_PER_MIN: '1000000',
      SCHEDULER_CRON: '* * * * * *',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
  }
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}: ${output}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
        return { child, url: `http://127.0.0.1:${port}`, output: () => output };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready: ${output}`);
}

/** Scheduler ticks a process has finished, from its /metrics (a counter, so waiting on it awaits real ticks). */
async function ticks(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /tradepool_scheduler_runs_total\{result="ok"\} (\d+)/.exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describeEachDialect('RELIABILITY 26: two server processes on one database, both ticking', (suite) => {
  it('each due transition is applied once and announced once, to the clients of both processes', async () => {
    // A child process cannot open this process's PGlite; on SQLite or the real Postgres (CI) it opens the same file.
    const url = suite.getUrl();
    if (!url) {
      expect(suite.driver()).toBe('pglite');
      return;
    }
    const db = suite.getDb();
    const setup = await startTestServer(db);
    const manager = await createTestUser(setup.services, 'MANAGER');
    const investor = await createTestUser(setup.services, 'INVESTOR');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < POOLS; i++) {
      const pool = await createPool(manager.ctx, {
        name: `Twice ticked ${i}`,
        description: '',
        strategy: 'MOMENTUM_BTC',
        pair: 'BTC/USDT',
        riskLevel: 'LOW',
        targetAmountCents: 1_000_000,
        minInvestmentCents: 100,
        startDate: at(1),
        endDate: at(2),
        settleDate: at(3),
      });
      ids.push(pool.id);
    }
    await setup.close();

    const [portA, portB] = [await freePort(), await freePort()];
    const servers = await Promise.all([spawnServer(url, portA), spawnServer(url, portB)]);
    const sockets: Socket[] = [];
    try {
      // One client per process, subscribed to every pool.
      const received = servers.map(() => [] as LiveEvent<{ pool: { id: string; status: string } }>[]);
      for (const [i, server] of servers.entries()) {
        const socket = connect(server.url, {
          transports: ['websocket'],
          reconnection: false,
          auth: { token: `Bearer ${investor.accessToken}` },
        });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        socket.on('pool:update', (event) => received[i]?.push(event));
        for (const poolId of ids) {
          expect(await socket.timeout(5000).emitWithAck('pool:subscribe', { poolId })).toEqual({ ok: true });
        }
      }

      // Every pool becomes due at once, for both schedulers: ACTIVE, CLOSED and SETTLING are all overdue.
      const { pools, poolStatusHistory, events } = db.schema;
      const ago = (h: number) => new Date(Date.now() - h * 3_600_000);
      await db.transaction(async (tx) => {
        await tx
          .update(pools)
          .set({ startDate: ago(3), endDate: ago(2), settleDate: ago(1) })
          .where(inArray(pools.id, ids));
      });
      const before = await Promise.all(servers.map((s) => ticks(s.url)));
      expect(before.every(Number.isFinite), `metrics: ${before}`).toBe(true);

      const expected = POOLS * TRANSITIONS.length;
      const deadline = Date.now() + 30_000;
      const statusEvents = (i: number) =>
        (received[i] ?? []).filter((e) => e.data.pool && TRANSITIONS.includes(e.data.pool.status));
      while (
        (statusEvents(0).length < expected || statusEvents(1).length < expected) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Both processes then tick twice more: a second application or announcement would have happened by now.
      const after = await Promise.all(servers.map((s) => ticks(s.url)));
      while (Date.now() < deadline) {
        const now = await Promise.all(servers.map((s) => ticks(s.url)));
        if (now.every((n, i) => n >= (after[i] ?? 0) + 2)) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const finalTicks = await Promise.all(servers.map((s) => ticks(s.url)));
      // Both really ticked while the pools were due (neither was idle while the other did all the work).
      for (const [i, n] of finalTicks.entries()) {
        expect(n, `process ${i} ticks`).toBeGreaterThanOrEqual((before[i] ?? 0) + 2);
      }

      // Applied once: one history row per transition per pool.
      const history = await db.db
        .select()
        .from(poolStatusHistory)
        .where(inArray(poolStatusHistory.poolId, ids));
      for (const poolId of ids) {
        const mine = history
          .filter((h) => h.poolId === poolId && h.trigger === 'SCHEDULER')
          .map((h) => h.toStatus);
        expect(mine.sort(), poolId).toEqual([...TRANSITIONS].sort());
      }
      // Announced once: one stored pool:update per transition per pool.
      const stored = await db.db.select().from(events).where(inArray(events.poolId, ids));
      for (const poolId of ids) {
        for (const status of TRANSITIONS) {
          const count = stored.filter(
            (e) =>
              e.poolId === poolId &&
              e.type === 'pool:update' &&
              (e.payload as { pool?: { status?: string } }).pool?.status === status &&
              (e.payload as { previousStatus?: string }).previousStatus !== undefined,
          ).length;
          expect(count, `${poolId} ${status}`).toBe(1);
        }
      }
      // Delivered once to the clients of both processes, in order per pool.
      for (const i of [0, 1]) {
        const events = statusEvents(i);
        expect(events, `client of process ${i}`).toHaveLength(expected);
        for (const poolId of ids) {
          expect(events.filter((e) => e.poolId === poolId).map((e) => e.data.pool.status)).toEqual(
            TRANSITIONS,
          );
        }
        const eventIds = events.map((e) => e.id);
        expect(new Set(eventIds).size).toBe(eventIds.length);
      }
    } finally {
      for (const socket of sockets) {
        socket.close();
      }
      for (const server of servers) {
        server.child.kill('SIGTERM');
      }
      await Promise.all(servers.map((s) => exited(s.child)));
    }
  }, 120_000);
});
