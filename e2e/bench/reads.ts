import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLoad, spawnChild } from './child';
import type { LoadOptions, LoadResult } from './load-process';

const profiles = join(dirname(fileURLToPath(import.meta.url)), '../../bench/profiles');

/**
 * With BENCH_CPU_PROF: the server's CPU per request in the measured window, from its profile (every sample not idle,
 * divided by the requests answered). On a loaded machine this includes time the process was runnable but waiting.
 */
function cpuMsPerRequest(as: string, requests: number): number | null {
  const file = join(profiles, `${as}.cpuprofile`);
  if (!process.env.BENCH_CPU_PROF || !existsSync(file) || requests === 0) {
    return null;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (!idle.has(profile.samples[i] ?? -1)) {
      busyUs += profile.timeDeltas[i + 1] ?? 0;
    }
  }
  return Math.round((busyUs / 1000 / requests) * 100) / 100;
}

/**
 * Keep-alive connections the paced reads go round: at 200/s each gets a request every second, so a request goes out
 * late only when the one before it on its connection took over a second.
 */
const CONNECTIONS = 200;

/**
 * pools.list and the portfolio (investments.list) through tRPC over HTTP, with `investors` users and `investments`
 * seeded, at a fixed request rate from autocannon in its own process, evenly paced (request n written at n / rate s,
 * round-robin over 200 keep-alive connections; before 28 November 2026, evening, autocannon's `overallRate` over 10
 * connections, which sends each second's requests in one burst); beside GET /healthz on the same server, offered the
 * same way at the same rate (what any request costs there).
 */
export async function benchReads(options: {
  investors: number;
  investments: number;
  perSecond: number;
  seconds: number;
  warmupSeconds: number;
}) {
  const server = spawnChild('server-process.ts', { profileAs: 'reads' });
  const load = spawnChild('load-process.ts');
  try {
    await Promise.all([server.ready, load.ready]);
    const [url, dialect] = await Promise.all([server.call<string>('url'), server.call<string>('dialect')]);
    const { readers } = await server.call<{ readers: string[] }>('seedReads', {
      investors: options.investors,
      investments: options.investments,
    });
    // Every request is one reader's; autocannon cannot rotate headers without a per-request hook, and one user's
    // reads are what a dashboard does. The reader owns investments/100k × 1/20 of the bulk rows' share.
    // As a browser asks: with its token and `Accept-Encoding: br, gzip`, so the answers are compressed as they would be
    // for the SPA (before 28 November 2026 this bench asked without it and measured uncompressed answers).
    const headers = { authorization: `Bearer ${readers[0]}`, 'accept-encoding': 'br, gzip' };
    const at = (path: string, withAuth = true): LoadOptions => ({
      url: `${url}${path}`,
      headers: withAuth ? headers : {},
      connections: CONNECTIONS,
      overallRate: options.perSecond,
      paced: true,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
    });
    const measure = (path: string, as: string, withAuth = true) =>
      measureLoad<LoadOptions, LoadResult>(load, at(path, withAuth), { server, as });
    const healthz = await measure('/healthz', 'reads-healthz', false);
    const list = await measure(`/trpc/pools.list?input=${encodeURIComponent('{}')}`, 'reads-pools-list');
    const portfolio = await measure('/trpc/investments.list', 'reads-portfolio');
    const summary = (r: LoadResult, as: string) => ({
      requestsPerSecond: r.requestsPerSecond,
      errors: r.errors + r.timeouts + r.non2xx,
      p50ms: r.p50ms,
      p90ms: r.p90ms,
      p99ms: r.p99ms,
      maxMs: r.maxMs,
      offered: r.pacing && {
        perSecond: r.pacing.offeredPerSecond,
        sendGapP50ms: r.pacing.sendGapP50ms,
        sendGapP99ms: r.pacing.sendGapP99ms,
        maxInFlight: r.pacing.maxInFlight,
        lateSends: r.pacing.lateSends,
      },
      ...(process.env.BENCH_CPU_PROF ? { serverCpuMsPerRequest: cpuMsPerRequest(as, r.requests) } : {}),
    });
    const poolsList = summary(list, 'reads-pools-list');
    const portfolioSummary = summary(portfolio, 'reads-portfolio');
    return {
      name: 'reads',
      dialect,
      investors: options.investors,
      investments: options.investments,
      perSecond: options.perSecond,
      pacing: list.pacing?.driver ?? 'autocannon overallRate',
      seconds: options.seconds,
      poolsList,
      portfolio: portfolioSummary,
      baseline: { what: 'GET /healthz on the same server, same rate', ...summary(healthz, 'reads-healthz') },
      target: 'p99 ≤ 15 ms for both',
      met:
        poolsList.p99ms <= 15 &&
        portfolioSummary.p99ms <= 15 &&
        poolsList.errors === 0 &&
        portfolioSummary.errors === 0,
    };
  } finally {
    await Promise.all([server.stop(), load.stop()]);
  }
}
