// The Tradepool server under measurement, alone in its own process: load generators and clients run elsewhere, so
// nothing but the server competes for this process's event loop. Driven by run.ts over IPC (see child.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestUser, insertDuePools } from '@tradepool/api/testing';
import { newId } from '@tradepool/db';
import { count, eq, gt, ne } from 'drizzle-orm';
import { serveCommands } from './child';
import { activePool, round, startBenchServer } from './harness';
import { trackRss } from './rss';

const rss = trackRss();
const profiles = join(dirname(fileURLToPath(import.meta.url)), '../../bench/profiles');
let inspector: Session | null = null;
const bench = await startBenchServer({}, process.env.BENCH_WEB_DIST || null);

serveCommands({
  url: () => bench.url,
  dialect: () => bench.database.dialect,
  rss: () => rss.read(),
  /** With BENCH_CPU_PROF, a V8 CPU profile of just the measured window (no start-up, seeding or warm-up). */
  profileStart: async () => {
    if (!process.env.BENCH_CPU_PROF) {
      return;
    }
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 1000 });
    await inspector.post('Profiler.start');
  },
  profileStop: async (args: { name: string }) => {
    if (!inspector) {
      return null;
    }
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    inspector = null;
    mkdirSync(profiles, { recursive: true });
    const file = join(profiles, `${args.name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },
  resetPeakRss: () => rss.reset(),
  drain: () => bench.services.events.drain(),
  activePool: async () => (await activePool(bench.services)).poolId,
  investor: async () => (await createTestUser(bench.services, 'INVESTOR')).accessToken,

  /** 40 pools, `investors` users (20 of them real accounts whose portfolios are read), `investments` spread over both. */
  seedReads: async (args: { investors: number; investments: number }) => {
    const { users, pools, investments } = bench.database.schema;
    const now = new Date();
    const poolIds: string[] = [];
    const poolRows = Array.from({ length: 40 }, (_, i) => {
      const id = newId();
      poolIds.push(id);
      return {
        id,
        name: `Pool ${i}`,
        strategy: 'MOMENTUM_BTC' as const,
        pair: 'BTC/USDT',
        riskLevel: 'MEDIUM' as const,
        status: (['ACTIVE', 'PENDING', 'CLOSED', 'SETTLED'] as const)[i % 4],
        targetAmountCents: 1_000_000_000,
        minInvestmentCents: 100,
        startDate: now,
        endDate: new Date(now.getTime() + 86_400_000),
        settleDate: new Date(now.getTime() + 2 * 86_400_000),
        createdAt: now,
        updatedAt: now,
      };
    });
    await bench.database.transaction(async (tx) => {
      await tx.insert(pools).values(poolRows);
    });
    const readers: string[] = [];
    const userIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const user = await createTestUser(bench.services, 'INVESTOR', `reader${i}@bench.test`);
      readers.push(user.accessToken);
      userIds.push(user.id);
    }
    for (let offset = 0; offset < args.investors; offset += 1000) {
      const rows = Array.from({ length: Math.min(1000, args.investors - offset) }, (_, i) => ({
        id: newId(),
        email: `bulk${offset + i}@bench.test`,
        passwordHash: 'x',
        displayName: `Bulk ${offset + i}`,
        createdAt: now,
        updatedAt: now,
      }));
      userIds.push(...rows.map((r) => r.id));
      await bench.database.transaction(async (tx) => {
        await tx.insert(users).values(rows);
      });
    }
    for (let offset = 0; offset < args.investments; offset += 2000) {
      const rows = Array.from({ length: Math.min(2000, args.investments - offset) }, (_, i) => {
        const n = offset + i;
        return {
          id: newId(),
          userId: userIds[n % userIds.length] ?? '',
          poolId: poolIds[n % poolIds.length] ?? '',
          amountCents: 10_000,
          shares: 100_000_000,
          status: 'ACTIVE' as const,
          createdAt: now,
          updatedAt: now,
        };
      });
      await bench.database.transaction(async (tx) => {
        await tx.insert(investments).values(rows);
      });
    }
    return { readers };
  },

  /** `count` PENDING pools whose start, end and settle dates have all passed. */
  seedDuePools: async (args: { pools: number }) => {
    await insertDuePools(bench.database, args.pools);
  },

  /**
   * One tick, timed; then the announcements it stored: one `pool:update` per transition, so every pool that walked
   * PENDING → ACTIVE → CLOSED → SETTLING has exactly three, and none has more or fewer.
   */
  tick: async () => {
    const { events } = bench.database.schema;
    const [before] = await bench.database.db.select({ n: count() }).from(events);
    const startedAt = performance.now();
    const cpuBefore = process.cpuUsage();
    // As the server's cron runs it: on the SQLite worker thread (WEBHOOK_WORKER, default on), in this thread otherwise.
    const result = await bench.server.runScheduledTransitions();
    const seconds = (performance.now() - startedAt) / 1000;
    // CPU time spent by this process during the tick (the dispatcher announcing as it goes included): on a machine
    // shared with other work, the wall time above also counts the time this process waited for a core.
    const cpu = process.cpuUsage(cpuBefore);
    // The dispatcher then announces what the tick stored; bounded, so a stuck dispatcher fails the figure, not the run.
    const drainStarted = performance.now();
    const drained = await Promise.race([
      bench.services.events.drain().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 180_000).unref()),
    ]);
    const drainSeconds = drained ? (performance.now() - drainStarted) / 1000 : null;
    const [stored] = await bench.database.db
      .select({ n: count() })
      .from(events)
      .where(eq(events.type, 'pool:update'));
    const perPool = bench.database.db
      .select({ poolId: events.poolId, n: count().as('n') })
      .from(events)
      .where(eq(events.type, 'pool:update'))
      .groupBy(events.poolId)
      .as('per_pool');
    const [wrong] = await bench.database.db.select({ n: count() }).from(perPool).where(ne(perPool.n, 3));
    const [pools] = await bench.database.db.select({ n: count() }).from(perPool).where(gt(perPool.n, 0));
    return {
      ...result,
      seconds: round(seconds, 2),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      drainSeconds: drainSeconds === null ? null : round(drainSeconds, 2),
      eventsBefore: before?.n ?? 0,
      announcements: stored?.n ?? 0,
      poolsAnnounced: pools?.n ?? 0,
      poolsWithOtherThanThree: wrong?.n ?? 0,
    };
  },
  exit: () => bench.close(),
});
