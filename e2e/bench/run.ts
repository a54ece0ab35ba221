// `pnpm bench`: the performance figures of DESIGN.md §7, each beside a baseline from the same run. Results go to
// bench/results/<name>.json at the repository root and a summary table to stdout. BENCH=ingest,fanout,… picks some;
// BENCH_SCALE (default 1) scales the sizes down for a quick look (e.g. 0.1).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFanout } from './fanout';
import { benchIngest } from './ingest';
import { benchReads } from './reads';
import { benchScheduler } from './scheduler';
import { benchSpa } from './spa';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const scale = Number(process.env.BENCH_SCALE ?? 1);
const chosen = new Set((process.env.BENCH ?? 'spa,ingest,reads,scheduler,fanout').split(','));
const n = (value: number, min = 1) => Math.max(min, Math.round(value * scale));

const benches: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  spa: () => benchSpa(root),
  ingest: () => benchIngest({ durationMs: n(10_000, 2_000), concurrency: 32 }),
  reads: () =>
    benchReads({ investors: n(10_000, 100), investments: n(100_000, 1_000), requests: n(500, 50) }),
  scheduler: () => benchScheduler({ pools: n(100_000, 1_000) }),
  fanout: () =>
    benchFanout({ sockets: n(1_000, 10), streams: n(1_000, 10), eventsPerSecond: 100, seconds: n(10, 2) }),
};

const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const rows: string[][] = [];
let failed = false;
for (const [name, run] of Object.entries(benches)) {
  if (!chosen.has(name)) {
    continue;
  }
  process.stdout.write(`running ${name}…\n`);
  try {
    const result = { ...(await run()), scale, node: process.version, at: new Date().toISOString() };
    writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    rows.push([name, summarize(result)]);
  } catch (error) {
    failed = true;
    rows.push([name, `FAILED: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

function summarize(result: Record<string, unknown>): string {
  // biome-ignore lint/suspicious/noExplicitAny: each bench returns its own shape; this only formats it.
  const r = result as Record<string, any>;
  switch (r.name) {
    case 'spa-size':
      return `initial JS ${r.initialJsGzipKb} KiB gzip (${r.initialScripts} files), admin chunks in initial load: ${r.adminChunksInInitialLoad} — ${r.baseline}`;
    case 'webhook-ingest':
      return `${r.eventsPerSecond} events/s stored+broadcast (${r.dialect}) vs ${r.baselinePerSecond}/s bare node:http (${r.ratioToBaseline}×)`;
    case 'reads':
      return `pools.list p50 ${r.poolsList.p50ms} ms p99 ${r.poolsList.p99ms} ms; portfolio p50 ${r.portfolio.p50ms} ms p99 ${r.portfolio.p99ms} ms; /healthz p50 ${r.baseline.p50ms} ms p99 ${r.baseline.p99ms} ms`;
    case 'scheduler-tick':
      return `${r.transitions} transitions over ${r.pools} due pools in ${r.seconds} s (${r.transitionsPerSecond}/s)`;
    case 'fan-out':
      return `socket.io p50 ${r.socketio.p50ms} ms p99 ${r.socketio.p99ms} ms (${r.socketio.everyEvent}/${r.socketio.clients} complete, ${r.socketio.inOrder} in order); SSE p50 ${r.sse.p50ms} ms p99 ${r.sse.p99ms} ms (${r.sse.everyEvent}/${r.sse.clients}); bare socket.io p50 ${r.baseline.p50ms} ms p99 ${r.baseline.p99ms} ms`;
    default:
      return JSON.stringify(result);
  }
}

const width = Math.max(...rows.map(([name]) => name?.length ?? 0));
process.stdout.write(
  `\n${rows.map(([name, text]) => `${(name ?? '').padEnd(width)}  ${text}`).join('\n')}\n`,
);
process.exit(failed ? 1 : 0);
