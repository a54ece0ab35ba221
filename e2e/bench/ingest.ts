import { readFileSync } from 'node:fs';
import { type Child, spawnChild } from './child';
import { round } from './harness';
import type { LoadOptions, LoadResult } from './load-process';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; null elsewhere). */
function cpuSecondsOf(pid: number): number | null {
  try {
    // After the parenthesised command name, utime and stime are the 12th and 13th fields, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * `measureLoad` (warm-up discarded, then the measured run, profiled with BENCH_CPU_PROF) plus the CPU time the
 * serving process spent per request in the measured run: on a shared machine throughput also measures the other
 * work, CPU per request much less so.
 */
async function measureWithCpu(
  load: Child,
  server: Child,
  options: LoadOptions,
  profileAs?: string,
): Promise<LoadResult & { cpuMsPerRequest: number | null }> {
  await load.call('warmup', options);
  if (profileAs) {
    await server.call('profileStart');
  }
  const before = cpuSecondsOf(server.pid);
  const result = await load.call<LoadResult>('load', options);
  const after = cpuSecondsOf(server.pid);
  if (profileAs) {
    await server.call('profileStop', { name: profileAs });
  }
  const cpuMsPerRequest =
    before === null || after === null || result.requests === 0
      ? null
      : round(((after - before) * 1000) / result.requests, 3);
  return { ...result, cpuMsPerRequest };
}

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
    let baseline: LoadResult & { cpuMsPerRequest: number | null };
    try {
      await bare.ready;
      const url = await bare.call<string>('startHttp');
      baseline = await measureWithCpu(load, bare, {
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
      const measured = await measureWithCpu(
        load,
        server,
        {
          url: `${url}/api/v1/webhook/model`,
          webhookPoolId: poolId,
          connections: options.connections,
          seconds: options.seconds,
          warmupSeconds: options.warmupSeconds,
        },
        'ingest',
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
        cpuMsPerEvent: measured.cpuMsPerRequest,
        baselinePerSecond: baseline.requestsPerSecond,
        baselineP50ms: baseline.p50ms,
        baselineP99ms: baseline.p99ms,
        baselineCpuMsPerRequest: baseline.cpuMsPerRequest,
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
