import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { actOnPool, appendEvent, checkLedger, createPool, eventsTransaction } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { createDatabase } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { eq } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { expect, it } from 'vitest';
import { freePort, startTestServer } from './test-support';

const SECRET = 'whsec_cmVzaWxpZW5jZS10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5';
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function signed(poolId: string) {
  const body = JSON.stringify({
    event: 'trade_executed',
    poolId,
    data: { side: 'BUY', quantity: '1', symbol: 'BTC/USDT', price: '45000' },
  });
  const id = `kill_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(SECRET.slice(6), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${sig}`,
    },
  };
}

/** The real server process (`src/index.ts` under tsx), as `pnpm dev` runs it, on a given database and port. */
async function spawnServer(databaseUrl: string, port: number): Promise<ChildProcess> {
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
      // The same secrets as the test servers that prepared the database, as a redeploy would have.
      JWT_SECRET: 'test-jwt-secret-shared-by-test-servers-0123456789',
      MODEL_WEBHOOK_SECRET: SECRET,
      RATE_LIMIT_PER_MIN: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
  }
  (child as ChildProcess & { stderrText: () => string }).stderrText = () => stderr;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

describeEachDialect('faults', (suite) => {
  it('SIGKILL during webhook ingest and due transitions: nothing acknowledged is lost or half-applied; transitions catch up', async () => {
    // A child process cannot open this process's PGlite; with SQLite or a real Postgres (CI) it opens the same database.
    const url = suite.getUrl();
    if (!url) {
      expect(suite.driver()).toBe('pglite');
      return;
    }
    const db = suite.getDb();
    const setup = await startTestServer(db);
    const manager = await createTestUser(setup.services, 'MANAGER');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const base = {
      description: '',
      strategy: 'MOMENTUM_BTC' as const,
      pair: 'BTC/USDT',
      riskLevel: 'HIGH' as const,
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
    };
    const trading = await createPool(manager.ctx, {
      ...base,
      name: 'Killed while trading',
      startDate: at(1),
      endDate: at(100),
      settleDate: at(101),
    });
    await actOnPool(manager.ctx, trading.id, 'publish');
    // Due pools: their dates pass while the server is down.
    const due = await createPool(manager.ctx, {
      ...base,
      name: 'Due during the outage',
      startDate: at(0.0005),
      endDate: at(0.001),
      settleDate: at(0.0015),
    });
    await setup.close();

    const port = await freePort();
    const child = await spawnServer(url, port);
    const acknowledged: string[] = [];
    const answers = new Map<string, number>();
    let stop = false;
    const senders = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const delivery = signed(trading.id);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/webhook/model`, {
            method: 'POST',
            headers: delivery.headers,
            body: delivery.body,
          });
          if (res.status === 202) {
            acknowledged.push(delivery.id);
          }
          answers.set(String(res.status), (answers.get(String(res.status)) ?? 0) + 1);
        } catch (error) {
          answers.set(String(error), (answers.get(String(error)) ?? 0) + 1);
          return;
        }
      }
    });
    const ackDeadline = Date.now() + 20_000;
    while (acknowledged.length < 40 && Date.now() < ackDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(
      acknowledged.length,
      `${JSON.stringify([...answers])}\n${(child as ChildProcess & { stderrText: () => string }).stderrText()}`,
    ).toBeGreaterThanOrEqual(40);
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    await exited(child);
    // Let the due pool's dates pass while nothing runs.
    await new Promise((resolve) => setTimeout(resolve, 5_500));

    const restarted = await spawnServer(url, port);
    try {
      const check = await createDatabase(url);
      try {
        const { webhookMessages, trades, events, pools, poolStatusHistory } = check.schema;
        const messages = await check.db
          .select()
          .from(webhookMessages)
          .where(eq(webhookMessages.poolId, trading.id));
        const stored = new Set(messages.map((m) => m.webhookId));
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        const tradeRows = await check.db.select().from(trades).where(eq(trades.poolId, trading.id));
        const tradeIds = new Set(tradeRows.map((t) => t.webhookId));
        // Every claimed delivery has its effect and its event: nothing half-applied.
        expect(messages.filter((m) => !tradeIds.has(m.webhookId))).toEqual([]);
        expect(tradeRows).toHaveLength(messages.length);
        const tradeEvents = await check.db.select().from(events).where(eq(events.poolId, trading.id));
        expect(tradeEvents.filter((e) => e.type === 'trade:executed')).toHaveLength(messages.length);
        expect((await checkLedger(check)).balanced).toBe(true);
        // The restarted scheduler caught up on the whole chain, in order, once.
        const deadline = Date.now() + 15_000;
        let statuses: string[] = [];
        while (Date.now() < deadline) {
          const history = await check.db
            .select()
            .from(poolStatusHistory)
            .where(eq(poolStatusHistory.poolId, due.id));
          statuses = history
            .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id))
            .map((h) => h.toStatus);
          if (statuses.includes('SETTLING')) {
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(statuses).toEqual(['PENDING', 'ACTIVE', 'CLOSED', 'SETTLING']);
        const [after] = await check.db.select().from(pools).where(eq(pools.id, due.id));
        expect(after?.status).toBe('SETTLING');
      } finally {
        await check.close();
      }
    } finally {
      restarted.kill('SIGTERM');
      await exited(restarted);
    }
  }, 90_000);

  it('1,000 clients and a server restart mid-stream: each ends with every event exactly once, in order', async () => {
    const db = suite.getDb();
    const port = await freePort();
    // The 1,000 handshakes all come from one address, and handshakes count against the per-IP limit.
    let server = await startTestServer(db, { env: { PORT: String(port), RATE_LIMIT_PER_MIN: '100000' } });
    const manager = await createTestUser(server.services, 'MANAGER');
    const watcher = await createTestUser(server.services, 'INVESTOR');
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const pool = await createPool(manager.ctx, {
      name: 'Restart',
      description: '',
      strategy: 'SWING_ETH',
      pair: 'ETH/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 100_000,
      minInvestmentCents: 100,
      startDate: at(1),
      endDate: at(2),
    });
    const CLIENTS = 1000;
    const EVENTS = 60;
    const seen: number[][] = Array.from({ length: CLIENTS }, () => []);
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(`http://127.0.0.1:${port}`, {
        transports: ['websocket'],
        reconnectionDelay: 50,
        reconnectionDelayMax: 500,
        auth: { token: `Bearer ${watcher.accessToken}` },
      });
      let last: string | null = null;
      socket.on('pool:update', (event: { id: string; poolId: string; data: { seq?: number } }) => {
        if (event.poolId === pool.id && typeof event.data.seq === 'number') {
          seen[i]?.push(event.data.seq);
          last = event.id;
        }
      });
      // Every (re)connection resubscribes from the last event seen, as the SPA does.
      socket.on('connect', () => {
        socket.emit('pool:subscribe', { poolId: pool.id, lastEventId: last });
      });
      sockets.push(socket);
    }
    const publish = async (seq: number) => {
      await eventsTransaction(server.services, async (tx) => {
        await appendEvent(server.services, tx, { type: 'pool:update', poolId: pool.id, data: { seq } });
      });
    };
    try {
      const allConnected = () => sockets.every((s) => s.connected);
      while (!allConnected()) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let seq = 0; seq < EVENTS / 2; seq++) {
        await publish(seq);
      }
      await server.close();
      // Written while no server runs (the database is still there): only a replay can deliver these.
      for (let seq = EVENTS / 2; seq < EVENTS / 2 + 10; seq++) {
        await publish(seq);
      }
      server = await startTestServer(db, { env: { PORT: String(port), RATE_LIMIT_PER_MIN: '100000' } });
      for (let seq = EVENTS / 2 + 10; seq < EVENTS; seq++) {
        await publish(seq);
      }
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline && seen.some((list) => list.length < EVENTS)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const expected = Array.from({ length: EVENTS }, (_, i) => i);
      const wrong = seen
        .map((list, i) => ({ i, list }))
        .filter(({ list }) => JSON.stringify(list) !== JSON.stringify(expected));
      expect(wrong.length, JSON.stringify(wrong.slice(0, 2))).toBe(0);
    } finally {
      for (const socket of sockets) {
        socket.close();
      }
      await server.close();
    }
  }, 120_000);
});
