import { newId } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { AppError, ManualClock } from '@tradepool/domain';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInnerContext, type ServiceDeps } from '../../context';
import { startScheduler } from '../../jobs/scheduler';
import { createTestUser, type TestUser, testDeps } from '../../testing';
import { verifyAuditChain } from '../audit/audit-log';
import { actOnPool, createPool, poolHistory, updatePool } from './pools-service';
import { runScheduledTransitions } from './scheduler';

const HOUR = 3_600_000;

describeEachDialect('pools and the scheduler', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let manager: TestUser;
  let investor: TestUser;

  const at = (hours: number) => new Date(clock.now().getTime() + hours * HOUR).toISOString();
  const validPool = (overrides: Record<string, unknown> = {}) => ({
    name: 'Momentum BTC #1',
    description: 'Trend following',
    strategy: 'MOMENTUM_BTC' as const,
    pair: 'BTC/USDT',
    riskLevel: 'MEDIUM' as const,
    targetAmountCents: 5_000_000,
    minInvestmentCents: 10_000,
    startDate: at(48),
    endDate: at(72),
    settleDate: at(96),
    ...overrides,
  });

  async function eventsOf(poolId: string) {
    const { events } = deps.database.schema;
    return deps.database.db.select().from(events).where(eq(events.poolId, poolId)).orderBy(asc(events.id));
  }

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    manager = await createTestUser(deps, 'MANAGER');
    investor = await createTestUser(deps, 'INVESTOR');
  });
  beforeEach(() => {
    clock.advance(24 * HOUR);
  });

  describe('create and edit', () => {
    it('creates a PENDING pool with its timeline row, event and audit entry', async () => {
      const pool = await createPool(manager.ctx, validPool());
      expect(pool).toMatchObject({
        status: 'PENDING',
        raisedCents: 0,
        navPerShare: '1.000000',
        equityCents: 0,
        investorCount: 0,
      });
      expect(await poolHistory(deps, pool.id, { role: 'ADMIN' })).toEqual([
        expect.objectContaining({
          fromStatus: null,
          toStatus: 'PENDING',
          trigger: 'USER',
          actorEmail: manager.email,
        }),
      ]);
      // Investors (and callers that name no viewer) never see a staff member's address.
      expect((await poolHistory(deps, pool.id, { role: 'INVESTOR' }))[0]?.actorEmail).toBeNull();
      expect((await poolHistory(deps, pool.id))[0]?.actorEmail).toBeNull();
      const events = await eventsOf(pool.id);
      expect(events.map((e) => e.type)).toEqual(['pool:update']);
      const { auditEntries } = deps.database.schema;
      const audit = await deps.database.db
        .select()
        .from(auditEntries)
        .where(eq(auditEntries.targetId, pool.id));
      expect(audit.map((a) => a.action)).toEqual(['pool.created']);
    });

    it('defaults the settle date to the end date', async () => {
      const { settleDate, ...rest } = validPool();
      const pool = await createPool(manager.ctx, rest);
      expect(pool.settleDate).toBe(pool.endDate);
    });

    it('names each broken date and amount rule, and stores nothing', async () => {
      const { pools } = deps.database.schema;
      const before = (await deps.database.db.select().from(pools)).length;
      const attempt = createPool(
        manager.ctx,
        validPool({ startDate: at(-1), endDate: at(-2), settleDate: at(-3), minInvestmentCents: 9_000_000 }),
      );
      await expect(attempt).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        fields: {
          startDate: 'must be in the future',
          endDate: 'must be after the start date',
          settleDate: 'must be on or after the end date',
          minInvestmentCents: 'must not exceed the target amount',
        },
      });
      expect((await deps.database.db.select().from(pools)).length).toBe(before);
    });

    it('lets the status decide which fields may change', async () => {
      const pool = await createPool(manager.ctx, validPool());
      const renamed = await updatePool(manager.ctx, {
        id: pool.id,
        name: 'Renamed',
        minInvestmentCents: 20_000,
      });
      expect(renamed).toMatchObject({ name: 'Renamed', minInvestmentCents: 20_000 });
      await actOnPool(manager.ctx, pool.id, 'publish');
      await expect(
        updatePool(manager.ctx, { id: pool.id, minInvestmentCents: 1_000, startDate: at(100) }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        fields: {
          minInvestmentCents: expect.stringContaining('ACTIVE'),
          startDate: expect.stringContaining('ACTIVE'),
        },
      });
      expect(
        await updatePool(manager.ctx, { id: pool.id, endDate: at(200), settleDate: at(201) }),
      ).toMatchObject({ status: 'ACTIVE' });
    });
  });

  describe('actions', () => {
    it('publish, pause, resume each write a timeline row, an event and an audit entry; illegal ones are 409', async () => {
      const pool = await createPool(manager.ctx, validPool());
      expect((await actOnPool(manager.ctx, pool.id, 'publish')).status).toBe('ACTIVE');
      await expect(actOnPool(manager.ctx, pool.id, 'publish')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(actOnPool(manager.ctx, pool.id, 'cancel')).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await actOnPool(manager.ctx, pool.id, 'pause')).status).toBe('PAUSED');
      expect((await actOnPool(manager.ctx, pool.id, 'resume')).status).toBe('ACTIVE');
      const history = await poolHistory(deps, pool.id);
      expect(history.map((h) => `${h.fromStatus}>${h.toStatus}`)).toEqual([
        'null>PENDING',
        'PENDING>ACTIVE',
        'ACTIVE>PAUSED',
        'PAUSED>ACTIVE',
      ]);
      const events = await eventsOf(pool.id);
      expect(events.map((e) => (e.payload as { previousStatus?: string }).previousStatus ?? null)).toEqual([
        null,
        'PENDING',
        'ACTIVE',
        'PAUSED',
      ]);
      expect((await verifyAuditChain(deps.database)).intact).toBe(true);
    });

    it('applies one of two concurrent identical actions and refuses the other with 409', async () => {
      const pool = await createPool(manager.ctx, validPool());
      const results = await Promise.allSettled([
        actOnPool(manager.ctx, pool.id, 'cancel'),
        actOnPool(manager.ctx, pool.id, 'cancel'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(
        rejected?.status === 'rejected' && rejected.reason instanceof AppError && rejected.reason.code,
      ).toBe('CONFLICT');
      expect((await poolHistory(deps, pool.id)).filter((h) => h.toStatus === 'CANCELLED')).toHaveLength(1);
    });

    it('answers NOT_FOUND for an unknown pool', async () => {
      await expect(actOnPool(manager.ctx, 'nope', 'publish')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('scheduler', () => {
    it('walks a pool whose dates all passed through ACTIVE, CLOSED and SETTLING in one tick, in order, once', async () => {
      const pool = await createPool(
        manager.ctx,
        validPool({ startDate: at(1), endDate: at(2), settleDate: at(3) }),
      );
      clock.advance(5 * HOUR);
      const result = await runScheduledTransitions(deps);
      expect(result).toMatchObject({
        activated: expect.any(Number),
        closed: expect.any(Number),
        settling: expect.any(Number),
      });
      const history = await poolHistory(deps, pool.id);
      expect(history.map((h) => `${h.toStatus}/${h.trigger}`)).toEqual([
        'PENDING/USER',
        'ACTIVE/SCHEDULER',
        'CLOSED/SCHEDULER',
        'SETTLING/SCHEDULER',
      ]);
      const events = await eventsOf(pool.id);
      expect(events.map((e) => (e.payload as { pool: { status: string } }).pool.status)).toEqual([
        'PENDING',
        'ACTIVE',
        'CLOSED',
        'SETTLING',
      ]);
      const again = await runScheduledTransitions(deps);
      expect(again).toEqual({ activated: 0, closed: 0, settling: 0 });
      expect(await eventsOf(pool.id)).toHaveLength(4);
    });

    it('moves only what is due, and closes paused pools at their end date', async () => {
      const early = await createPool(
        manager.ctx,
        validPool({ startDate: at(1), endDate: at(10), settleDate: at(11) }),
      );
      const later = await createPool(
        manager.ctx,
        validPool({ startDate: at(5), endDate: at(10), settleDate: at(11) }),
      );
      clock.advance(2 * HOUR);
      await runScheduledTransitions(deps);
      await actOnPool(manager.ctx, early.id, 'pause');
      const statuses = async () => {
        const { pools } = deps.database.schema;
        const rows = await deps.database.db.select({ id: pools.id, status: pools.status }).from(pools);
        return Object.fromEntries(
          rows
            .filter((r) => r.id === early.id || r.id === later.id)
            .map((r) => [r.id === early.id ? 'early' : 'later', r.status]),
        );
      };
      expect(await statuses()).toEqual({ early: 'PAUSED', later: 'PENDING' });
      clock.advance(9 * HOUR);
      await runScheduledTransitions(deps);
      expect(await statuses()).toEqual({ early: 'SETTLING', later: 'SETTLING' });
    });

    it('announces every transition once, in order, when a batch spans several multi-row inserts', async () => {
      // More than a thousand due pools in one batch (the size at which rows were once written in several chunks), so
      // each move's events span a long run of ids. Copies of one created pool keep the set-up fast.
      const template = await createPool(
        manager.ctx,
        validPool({ name: 'Chunk template', startDate: at(1), endDate: at(2), settleDate: at(3) }),
      );
      const { pools, poolStatusHistory, events } = deps.database.schema;
      const [row] = await deps.database.db.select().from(pools).where(eq(pools.id, template.id));
      if (!row) {
        throw new Error('template pool missing');
      }
      const copies = Array.from({ length: 1_100 }, (_, i) => ({ ...row, id: newId(), name: `Chunk ${i}` }));
      await deps.database.transaction(async (tx) => {
        for (let start = 0; start < copies.length; start += 100) {
          await tx.insert(pools).values(copies.slice(start, start + 100));
        }
      });
      const ids = new Set([template.id, ...copies.map((c) => c.id)]);
      clock.advance(4 * HOUR);
      await runScheduledTransitions(deps, { batchSize: 2_000 });
      const stored = (
        await deps.database.db
          .select({ id: events.id, poolId: events.poolId, payload: events.payload })
          .from(events)
          .where(eq(events.type, 'pool:update'))
          .orderBy(asc(events.id))
      ).filter((e) => e.poolId !== null && ids.has(e.poolId));
      const byPool = new Map<string, string[]>();
      for (const e of stored) {
        const list = byPool.get(e.poolId ?? '') ?? [];
        list.push((e.payload as { pool: { status: string } }).pool.status);
        byPool.set(e.poolId ?? '', list);
      }
      expect(byPool.size).toBe(ids.size);
      for (const [poolId, statuses] of byPool) {
        expect(statuses.slice(-3), poolId).toEqual(['ACTIVE', 'CLOSED', 'SETTLING']);
        expect(statuses.length).toBe(poolId === template.id ? 4 : 3);
      }
      // Each step's events are stored in one run of ids, all ACTIVE before any CLOSED before any SETTLING.
      const tail = stored.filter(
        (e) => (e.payload as { pool: { status: string } }).pool.status !== 'PENDING',
      );
      const order = tail.map((e) => (e.payload as { pool: { status: string } }).pool.status);
      expect(order.indexOf('CLOSED')).toBe(ids.size);
      expect(order.indexOf('SETTLING')).toBe(2 * ids.size);
      const history = await deps.database.db
        .select({ poolId: poolStatusHistory.poolId })
        .from(poolStatusHistory)
        .where(eq(poolStatusHistory.trigger, 'SCHEDULER'));
      expect(history.filter((h) => ids.has(h.poolId))).toHaveLength(3 * ids.size);
    });

    it('announces each transition once even when ticks run concurrently', async () => {
      const created = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createPool(
            manager.ctx,
            validPool({ name: `Race ${i}`, startDate: at(1), endDate: at(2), settleDate: at(3) }),
          ),
        ),
      );
      clock.advance(4 * HOUR);
      const other = testDeps(suite.getDb(), { clock });
      await Promise.all([
        runScheduledTransitions(deps),
        runScheduledTransitions(other),
        runScheduledTransitions(deps),
      ]);
      for (const pool of created) {
        const statuses = (await eventsOf(pool.id)).map(
          (e) => (e.payload as { pool: { status: string } }).pool.status,
        );
        expect(statuses).toEqual(['PENDING', 'ACTIVE', 'CLOSED', 'SETTLING']);
      }
    });

    it('logs a failing tick, keeps the process alive, and the next tick does the work', async () => {
      const lines: string[] = [];
      const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
      const pool = await createPool(
        manager.ctx,
        validPool({ startDate: at(1), endDate: at(50), settleDate: at(51) }),
      );
      clock.advance(2 * HOUR);
      let failNext = true;
      const flaky = {
        ...deps,
        log,
        database: {
          ...deps.database,
          transaction: ((fn, options) => {
            if (failNext) {
              failNext = false;
              return Promise.reject(new Error('disk I/O error'));
            }
            return deps.database.transaction(fn, options);
          }) as typeof deps.database.transaction,
        },
      };
      const scheduler = startScheduler(flaky, '0 0 1 1 *', { runAtStart: false });
      try {
        expect(await scheduler.tick()).toBeNull();
        expect(lines.some((l) => l.includes('scheduler tick failed') && l.includes('disk I/O error'))).toBe(
          true,
        );
        const second = await scheduler.tick();
        expect(second?.activated).toBeGreaterThanOrEqual(1);
        expect(lines.some((l) => l.includes(`Pool ${pool.name} automatically activated`))).toBe(true);
      } finally {
        scheduler.stop();
      }
    });
  });

  it('refuses investors on manager actions at the service boundary too', async () => {
    const pool = await createPool(manager.ctx, validPool());
    const anonymous = createInnerContext(deps);
    await expect(actOnPool(anonymous, pool.id, 'publish')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(actOnPool(investor.ctx, pool.id, 'publish')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await poolHistory(deps, pool.id)).map((h) => h.toStatus)).toEqual(['PENDING']);
  });
});
