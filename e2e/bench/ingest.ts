import { measureLoad, spawnChild } from './child';
import { round } from './harness';
import type { LoadOptions, LoadResult } from './load-process';

/**
 * Webhook ingest: signed, verified, stored durably (SQLite synchronous=FULL: trade + event + dedup key + delivery
 * log in one transaction) and broadcast, per second; beside a bare node:http server that answers 202 once it has read
 * the same requests' bodies. autocannon drives both from its own process, the servers each run alone in theirs.
 */
export async function benchIngest(options: { seconds: number; warmupSeconds: number; connections: number }) {
  const load = spawnChild('load-process.ts');
  await load.ready;
  try {
    const bare = spawnChild('bare-process.ts');
    let baseline: LoadResult;
    try {
      await bare.ready;
      const url = await bare.call<string>('startHttp');
      baseline = await measureLoad<LoadOptions, LoadResult>(load, {
        url,
        webhookPoolId: 'baseline',
        connections: options.connections,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
      });
    } finally {
      await bare.stop();
    }

    const server = spawnChild('server-process.ts', { profileAs: 'ingest' });
    try {
      await server.ready;
      const [url, dialect, poolId] = await Promise.all([
        server.call<string>('url'),
        server.call<string>('dialect'),
        server.call<string>('activePool'),
      ]);
      const measured = await measureLoad<LoadOptions, LoadResult>(
        load,
        {
          url: `${url}/api/v1/webhook/model`,
          webhookPoolId: poolId,
          connections: options.connections,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        },
        { server, as: 'ingest' },
      );
      await server.call('drain');
      const errors = measured.errors + measured.timeouts + measured.non2xx;
      return {
        name: 'webhook-ingest',
        dialect,
        durability: dialect === 'sqlite' ? 'WAL, synchronous=FULL' : 'postgres defaults (fsync on commit)',
        connections: options.connections,
        seconds: options.seconds,
        eventsPerSecond: measured.requestsPerSecond,
        errors,
        p50ms: measured.p50ms,
        p99ms: measured.p99ms,
        baselinePerSecond: baseline.requestsPerSecond,
        baselineP50ms: baseline.p50ms,
        baselineP99ms: baseline.p99ms,
        baseline: 'bare node:http answering 202 after reading the body, same autocannon load',
        ratioToBaseline: round(measured.requestsPerSecond / baseline.requestsPerSecond, 3),
        target: '≥ 0.25 × baseline, 0 errors',
        met: errors === 0 && measured.requestsPerSecond >= 0.25 * baseline.requestsPerSecond,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await load.stop();
  }
}
