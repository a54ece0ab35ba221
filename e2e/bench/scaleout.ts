import { execFileSync } from 'node:child_process';
import { type Child, measureLoad, spawnChild } from './child';
import type { Verdict } from './clients-process';
import { postEvents } from './fanout';
import { round } from './harness';
import type { LoadOptions, LoadResult } from './load-process';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432';

function psql(sql: string): void {
  execFileSync('psql', [`${ADMIN_URL}/postgres`, '-qc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const errorsOf = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;

/** Several autocannon runs at once, one per (load process, options), each warmed up first; summed rate, worst latency. */
async function spread<O>(runs: Array<[Child, O]>) {
  const results = await Promise.all(runs.map(([load, options]) => measureLoad<O, LoadResult>(load, options)));
  return {
    requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
    errors: results.reduce((sum, r) => sum + errorsOf(r), 0),
    // Percentiles do not add up across runs: the worst process's figure is reported (and each one beside it).
    p50ms: Math.max(...results.map((r) => r.p50ms)),
    p99ms: Math.max(...results.map((r) => r.p99ms)),
    perProcess: results.map((r) => ({
      requestsPerSecond: r.requestsPerSecond,
      errors: errorsOf(r),
      p50ms: r.p50ms,
      p99ms: r.p99ms,
    })),
  };
}

/**
 * Scale-out on Postgres (issue 11): one fresh database (created and dropped here), Tradepool server processes A, B, C
 * on it (server-process.ts, each alone in its process). First A alone: webhook ingest (three autocannon processes as
 * fast as it answers, signing for several pools in turn, then for one pool) and pools.list at a fixed rate — the
 * 1-process baselines. Then B and C join and the same loads are spread evenly over the three ports, one autocannon
 * process per port. Last, cross-process delivery: socket.io clients
 * (websocket transport) on B and on C, subscribed to a pool, while webhooks are posted to A at a steady rate; clients
 * on A in the same run are the in-process baseline. Latency is from just before each POST to receipt.
 */
export async function benchScaleout(options: {
  ingestSeconds: number;
  /** Pools the spread ingest signs for in turn (the single-pool figure uses one). */
  ingestPools: number;
  ingestWarmupSeconds: number;
  connections: number;
  investors: number;
  investments: number;
  readsPerSecond: number;
  readSeconds: number;
  readWarmupSeconds: number;
  clientsPerProcess: number;
  eventsPerSecond: number;
  deliverySeconds: number;
  warmupEvents: number;
}) {
  const dbName = `tp_bench_scaleout_${Date.now()}_${process.pid}`;
  psql(`CREATE DATABASE ${dbName}`);
  const env = { BENCH_DATABASE_URL: `${ADMIN_URL}/${dbName}` };
  const children: Child[] = [];
  const start = (script: string, extra: Record<string, string> = {}) => {
    const child = spawnChild(script, { env: { ...env, ...extra } });
    children.push(child);
    return child;
  };
  try {
    const loads = [start('load-process.ts'), start('load-process.ts'), start('load-process.ts')];
    const posters = [1, 2, 3].map(() => start('load-process.ts'));
    // A migrates the fresh database alone; B and C start later on the migrated schema.
    const a = start('server-process.ts');
    await Promise.all([a.ready, ...loads.map((l) => l.ready), ...posters.map((l) => l.ready)]);
    const urlA = await a.call<string>('url');
    const ingestPools: string[] = [];
    for (let i = 0; i < options.ingestPools; i++) {
      ingestPools.push(await a.call<string>('activePool'));
    }
    const ingestPool = ingestPools[0] ?? '';
    const { readers } = await a.call<{ readers: string[] }>('seedReads', {
      investors: options.investors,
      investments: options.investments,
    });
    const webhook = (url: string) => `${url}/api/v1/webhook/model`;
    const poolsList = (url: string) => `${url}/trpc/pools.list?input=${encodeURIComponent('{}')}`;
    // Three autocannon processes either way, 10 connections each: all on A, or one per process.
    const ingest = (targets: string[], poolIds: string[]) =>
      spread<LoadOptions>(
        posters.map((poster, i) => [
          poster,
          {
            url: webhook(targets[i % targets.length] ?? urlA),
            method: 'POST',
            webhookPoolIds: poolIds,
            connections: Math.max(1, Math.round(options.connections / 3)),
            seconds: options.ingestSeconds,
            warmupSeconds: options.ingestWarmupSeconds,
          },
        ]),
      );
    const reads = (targets: string[]) =>
      spread<LoadOptions>(
        targets.map((url, i) => [
          loads[i] as Child,
          { ...readLoad(options.readsPerSecond / targets.length), url: poolsList(url) },
        ]),
      );
    const readLoad = (perSecond: number): Omit<LoadOptions, 'url'> => ({
      headers: { authorization: `Bearer ${readers[0]}` },
      connections: Math.max(1, Math.round(10 / (options.readsPerSecond / perSecond))),
      overallRate: perSecond,
      seconds: options.readSeconds,
      warmupSeconds: options.readWarmupSeconds,
    });

    const ingest1 = await ingest([urlA], ingestPools);
    const ingestOnePool1 = await ingest([urlA], [ingestPool]);
    await a.call('drain');
    const reads1 = await reads([urlA]);

    const b = start('server-process.ts');
    const c = start('server-process.ts');
    await Promise.all([b.ready, c.ready]);
    const urls = [urlA, await b.call<string>('url'), await c.call<string>('url')];
    const ingest3 = await ingest(urls, ingestPools);
    const ingestOnePool3 = await ingest(urls, [ingestPool]);
    await Promise.all([a, b, c].map((s) => s.call('drain')));
    const reads3 = await reads(urls);

    // Delivery: a fresh pool (the ingest pool's backlog stays out of it), clients on A (baseline), B and C.
    const [deliveryPool, token] = await Promise.all([
      a.call<string>('activePool'),
      a.call<string>('investor'),
    ]);
    const clients = [start('clients-process.ts'), start('clients-process.ts'), start('clients-process.ts')];
    await Promise.all(clients.map((k) => k.ready));
    await Promise.all(
      clients.map((k, i) =>
        k.call('socketio', { url: urls[i], count: options.clientsPerProcess, poolId: deliveryPool, token }),
      ),
    );
    const timeoutMs = 120_000;
    await postEvents(urlA, deliveryPool, options.warmupEvents, options.eventsPerSecond);
    await Promise.all(clients.map((k) => k.call('verdict', { events: options.warmupEvents, timeoutMs })));
    const events = options.eventsPerSecond * options.deliverySeconds;
    const posted = await postEvents(urlA, deliveryPool, events, options.eventsPerSecond);
    const [onA, onB, onC] = await Promise.all(
      clients.map((k) => k.call<Verdict>('verdict', { events, timeoutMs })),
    );
    if (!onA || !onB || !onC) {
      throw new Error('a clients process gave no verdict');
    }
    const cross = {
      clients: onB.clients + onC.clients,
      everyEvent: onB.everyEvent + onC.everyEvent,
      inOrder: onB.inOrder + onC.inOrder,
      // Per process; the worst of B and C is the cross-process figure.
      p50ms: Math.max(onB.p50ms, onC.p50ms),
      p99ms: Math.max(onB.p99ms, onC.p99ms),
      maxMs: Math.max(onB.maxMs, onC.maxMs),
      onB,
      onC,
    };
    const complete =
      posted.failures === 0 && cross.everyEvent === cross.clients && onA.everyEvent === onA.clients;
    const rateHeld = posted.postedPerSecond >= 0.9 * options.eventsPerSecond;
    return {
      name: 'scaleout',
      dialect: 'postgres',
      ingest: {
        what: `trade_executed deliveries signed for ${options.ingestPools} pools in turn, 3 autocannon processes`,
        connections: options.connections,
        seconds: options.ingestSeconds,
        pools: options.ingestPools,
        oneProcess: ingest1,
        threeProcesses: ingest3,
        ratio: round(ingest3.requestsPerSecond / Math.max(1, ingest1.requestsPerSecond), 2),
        onePool: {
          what: 'the same load for a single pool: deliveries serialise on its row (heartbeat update)',
          oneProcess: ingestOnePool1,
          threeProcesses: ingestOnePool3,
        },
      },
      reads: {
        what: 'tRPC pools.list over HTTP, one reader, 40 pools',
        perSecond: options.readsPerSecond,
        seconds: options.readSeconds,
        investors: options.investors,
        investments: options.investments,
        oneProcess: reads1,
        threeProcesses: reads3,
      },
      delivery: {
        eventsPerSecond: options.eventsPerSecond,
        events,
        postedTo: 'A',
        webhookFailures: posted.failures,
        postedPerSecond: posted.postedPerSecond,
        rateHeld,
        clientsPerProcess: options.clientsPerProcess,
        inProcess: onA,
        crossProcess: cross,
      },
      baseline: '1 process for ingest and reads; clients on the posting process for delivery (same run)',
      target: 'cross-process delivery p99 < 100 ms; every client every event once in order; 0 errors',
      met:
        complete &&
        rateHeld &&
        cross.p99ms < 100 &&
        [ingest1, ingest3, ingestOnePool1, ingestOnePool3, reads1, reads3].every((r) => r.errors === 0),
    };
  } finally {
    for (const child of children.reverse()) {
      await child.stop().catch(() => undefined);
    }
    try {
      psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch {
      // best effort: a leftover bench database is named tp_bench_scaleout_*
    }
  }
}
