import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { StoreOutcome } from '@tradepool/api/server';
import { insertDuePools } from '@tradepool/api/testing';
import { createTestDatabase, type TestDatabase } from '@tradepool/db/testing';
import { systemClock } from '@tradepool/domain';
import { and, asc, eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPool, startTestServer, type TestServer } from './test-support';
import { SqliteWriteWorker, workerCheckpoints } from './write-worker-client';

/**
 * The write worker on its own: a thread with its own SQLite write connection beside the server's (the HTTP route
 * over it is tested by webhook.test.ts's worker suite).
 */
describe('write worker (SQLite)', () => {
  let handle: TestDatabase;
  let server: TestServer;
  let poolId: string;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    handle = await createTestDatabase('sqlite');
    server = await startTestServer(handle.database);
    poolId = await publishedPool(server.services, 'Worker');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await handle?.dispose();
  });

  const delivery = (tradeId: string) => {
    const webhookId = `msg_${randomUUID()}`;
    return {
      body: JSON.stringify({
        event: 'trade_executed',
        poolId,
        data: { tradeId, side: 'BUY', symbol: 'BTC/USDT', quantity: 1, price: 45000 },
      }),
      signedAt: new Date(),
      id: webhookId,
      ip: '127.0.0.1',
      bytes: 100,
    };
  };

  const storedTrades = async (tradeId: string) => {
    const { trades } = handle.database.schema;
    return (await handle.database.db.select().from(trades).where(eq(trades.externalId, tradeId))).length;
  };

  it('waits while the server thread holds the write lock, then commits and wakes the dispatcher', async () => {
    let notified = 0;
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      clock: systemClock,
      bus: { notify: () => notified++ },
      log,
    });
    try {
      // Start the thread and let it open its database before the server thread takes the write lock.
      expect((await worker.store(delivery('warm-up'))).kind).toBe('stored');
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The write queue begins a transaction on a later turn: the delivery is sent only once the callback runs, when
      // BEGIN IMMEDIATE has taken the lock (sent earlier, the worker could commit first).
      let locked = () => {};
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const blocker = handle.database.transaction(() => {
        locked();
        return held;
      });
      await lockTaken;
      const tradeId = `held-${randomUUID()}`;
      let settled = false;
      const outcome = worker.store(delivery(tradeId)).finally(() => {
        settled = true;
      });
      // A server-thread transaction lasting 300 ms (well inside busy_timeout): the worker must wait for it, not fail.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      expect(await storedTrades(tradeId)).toBe(0);
      release();
      await blocker;
      expect(await outcome).toMatchObject({ kind: 'stored', duplicate: false });
      expect(await storedTrades(tradeId)).toBe(1);
      expect(notified).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('answers every delivery in flight before it closes, each stored once; a repeated id is a duplicate', async () => {
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      clock: systemClock,
      bus: { notify() {} },
      log,
    });
    const sent = Array.from({ length: 20 }, (_, i) => delivery(`close-${i}-${randomUUID()}`));
    const outcomes = sent.map((one) => worker.store(one));
    const closed = worker.close();
    const results: StoreOutcome[] = await Promise.all(outcomes);
    await closed;
    expect(results.every((result) => result.kind === 'stored' && !result.duplicate)).toBe(true);
    for (const one of sent) {
      expect(await storedTrades(JSON.parse(one.body).data.tradeId)).toBe(1);
    }
    await expect(worker.store(delivery('after-close'))).rejects.toThrow(/shutting down/);

    const again = new SqliteWriteWorker({
      url: handle.url ?? '',
      clock: systemClock,
      bus: { notify() {} },
      log,
    });
    try {
      const first = sent[0];
      expect(first).toBeDefined();
      expect(await again.store(first as (typeof sent)[number])).toMatchObject({
        kind: 'stored',
        duplicate: true,
      });
    } finally {
      await again.close();
    }
  });

  it("leaves the WAL's checkpoints to the server's checkpointer thread when there is one", () => {
    expect(workerCheckpoints('thread')).toBe('elsewhere');
    expect(workerCheckpoints('elsewhere')).toBe('elsewhere');
    expect(workerCheckpoints('commit')).toBe('commit');
    expect(workerCheckpoints(undefined)).toBe('commit');
  });

  it("lets the WAL grow past SQLite's 1,000 pages rather than checkpoint on its COMMITs when told a thread does", async () => {
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      walCheckpoints: 'thread',
      clock: systemClock,
      bus: { notify() {} },
      log,
    });
    const wal = `${(handle.url ?? '').replace(/^file:/, '')}-wal`;
    // 4 KiB pages plus a 24-byte frame header each.
    const walPages = () => Math.floor(statSync(wal).size / 4_120);
    try {
      // One commit per delivery, each adding a dozen or more pages to the WAL; nothing else checkpoints this file.
      for (let i = 0; walPages() <= 1_200 && i < 400; i++) {
        expect(await worker.store(delivery(`wal-${i}-${randomUUID()}`))).toMatchObject({ kind: 'stored' });
      }
      expect(walPages()).toBeGreaterThan(1_200);
    } finally {
      await worker.close();
    }
  });

  it('runs a scheduler pass on its own connection: each due pool moves once, each move announced once', async () => {
    const { pools, events, poolStatusHistory } = handle.database.schema;
    const ids = await insertDuePools(handle.database, 25, 'Due');
    let notified = 0;
    const lines: string[] = [];
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      clock: systemClock,
      bus: { notify: () => notified++ },
      log: { ...log, info: (_obj: object, msg: string) => lines.push(msg), isLevelEnabled: () => true },
    });
    try {
      expect(await worker.tick()).toEqual({ activated: 25, closed: 25, settling: 25 });
      // Its batch's commit woke the server thread's dispatcher; its moves were logged through the server's logger.
      expect(notified).toBeGreaterThanOrEqual(1);
      expect(lines).toContain('Pool Due 0 automatically activated');
      expect(lines).toContain('Pool Due 24 automatically moved to settling');
      const moved = await handle.database.db.select().from(pools).where(inArray(pools.id, ids));
      expect(moved.every((pool) => pool.status === 'SETTLING')).toBe(true);
      const announced = await handle.database.db
        .select({ poolId: events.poolId, payload: events.payload })
        .from(events)
        .where(and(eq(events.type, 'pool:update'), inArray(events.poolId, ids)))
        .orderBy(asc(events.id));
      expect(announced).toHaveLength(75);
      for (const id of ids) {
        const walk = announced
          .filter((event) => event.poolId === id)
          .map((event) => {
            const data = event.payload as { pool: { status: string }; previousStatus: string };
            return `${data.previousStatus}>${data.pool.status}`;
          });
        expect(walk).toEqual(['PENDING>ACTIVE', 'ACTIVE>CLOSED', 'CLOSED>SETTLING']);
      }
      const timeline = await handle.database.db
        .select()
        .from(poolStatusHistory)
        .where(inArray(poolStatusHistory.poolId, ids));
      expect(timeline).toHaveLength(75);
      expect(timeline.every((row) => row.trigger === 'SCHEDULER')).toBe(true);
      // Nothing is due any more: a second pass moves nothing.
      expect(await worker.tick()).toEqual({ activated: 0, closed: 0, settling: 0 });
    } finally {
      await worker.close();
    }
  });

  it("lets a server-thread write go at the end of the pass's current batch, not after the whole pass", async () => {
    const { pools } = handle.database.schema;
    // Four batches of the scheduler's 10,000.
    await insertDuePools(handle.database, 40_000, 'Turn');
    let firstBatch = () => {};
    const firstBatchCommitted = new Promise<void>((resolve) => {
      firstBatch = resolve;
    });
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      writeTurns: handle.database.writeTurns,
      clock: systemClock,
      bus: { notify: () => firstBatch() },
      log,
    });
    try {
      const order: string[] = [];
      const pass = worker.tick().then((result) => {
        order.push('pass');
        return result;
      });
      await firstBatchCommitted;
      // The worker is writing its second batch: this write waits for it (without sleeping in SQLite), and the
      // worker does not begin its third while it does.
      await handle.database.transaction(async (tx) => {
        await tx.update(pools).set({ description: 'edited during the pass' }).where(eq(pools.name, 'Turn 0'));
      });
      order.push('server write');
      expect(await pass).toEqual({ activated: 40_000, closed: 40_000, settling: 40_000 });
      expect(order).toEqual(['server write', 'pass']);
    } finally {
      await worker.close();
    }
  });

  it('returns a refusal with its error and context, and stores nothing for it', async () => {
    const worker = new SqliteWriteWorker({
      url: handle.url ?? '',
      clock: systemClock,
      bus: { notify() {} },
      log,
    });
    try {
      const unknown = {
        ...delivery('x'),
        body: JSON.stringify({ event: 'trade_executed', poolId: 'no-such-pool', data: {} }),
      };
      const refused = await worker.store(unknown);
      expect(refused.kind).toBe('refused');
      if (refused.kind === 'refused') {
        expect(refused.error.code).toBe('BAD_REQUEST');
        expect(refused.error.fields).toMatchObject({ 'data.side': expect.any(String) });
        expect(refused.context).toEqual({ eventType: 'trade_executed', poolId: 'no-such-pool' });
      }
      const missing = await worker.store({
        ...delivery('y'),
        body: JSON.stringify({
          event: 'trade_executed',
          poolId: 'no-such-pool',
          data: { side: 'BUY', symbol: 'BTC/USDT', quantity: 1, price: 1 },
        }),
      });
      expect(missing).toMatchObject({ kind: 'refused', error: { code: 'NOT_FOUND' } });
      if (missing.kind === 'refused') {
        expect(missing.error.status).toBe(404);
      }
    } finally {
      await worker.close();
    }
  });
});
