// `pnpm bench`: the performance figures of DESIGN.md §7, each beside a baseline measured in the same run. Every server
// and every load generator runs in its own process (see child.ts). Results go to bench/results/<name>.json at the
// repository root and bench/RESULTS.md (a table with the machine, Node version and date).
// BENCH=spa,ingest,… picks some; BENCH_SCALE (default 1) scales sizes and durations down for a quick look (e.g. 0.05);
// BENCH_CPU_PROF=1 writes a CPU profile of each Tradepool server process to bench/profiles/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFanout } from './fanout';
import { benchIngest } from './ingest';
import { benchReads } from './reads';
import { benchScaleout } from './scaleout';
import { benchScheduler } from './scheduler';
import { benchSpa } from './spa';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const scale = Number(process.env.BENCH_SCALE ?? 1);
if (!(scale > 0 && scale <= 1)) {
  throw new Error(`BENCH_SCALE must be in (0, 1], got ${process.env.BENCH_SCALE}`);
}
const ORDER = ['spa', 'ingest', 'reads', 'scheduler', 'fanout', 'scaleout'];
const chosen = new Set((process.env.BENCH ?? ORDER.join(',')).split(','));
const n = (value: number, min = 1) => Math.max(min, Math.round(value * scale));

const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  spa: () => benchSpa(root),
  ingest: () => benchIngest({ seconds: n(20, 3), warmupSeconds: n(5, 1), connections: 32 }),
  reads: () =>
    benchReads({
      investors: n(10_000, 100),
      investments: n(100_000, 1_000),
      perSecond: 200,
      seconds: n(20, 3),
      warmupSeconds: n(3, 1),
    }),
  scheduler: () => benchScheduler({ pools: n(100_000, 1_000) }),
  fanout: () =>
    benchFanout({
      sockets: n(1_000, 10),
      streams: n(1_000, 10),
      eventsPerSecond: 100,
      seconds: n(10, 2),
      warmupEvents: 50,
    }),
  // Postgres only (a fresh database on BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432).
  scaleout: () =>
    benchScaleout({
      ingestSeconds: n(10, 3),
      ingestPools: 12,
      ingestWarmupSeconds: n(3, 1),
      connections: 30,
      investors: n(10_000, 100),
      investments: n(100_000, 1_000),
      readsPerSecond: 150,
      readSeconds: n(10, 3),
      readWarmupSeconds: n(3, 1),
      clientsPerProcess: n(50, 5),
      eventsPerSecond: 25,
      deliverySeconds: n(20, 4),
      warmupEvents: 20,
    }),
};

const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
let failed = false;
const started = Date.now();
for (const name of ORDER) {
  const bench = benches[name];
  if (!chosen.has(name) || !bench) {
    continue;
  }
  process.stdout.write(`running ${name}…\n`);
  const t0 = Date.now();
  // Other work on the machine skews every figure (baselines included): recorded so a reader can judge a run.
  const loadBefore = Math.round((loadavg()[0] ?? 0) * 10) / 10;
  let result: Record<string, unknown>;
  try {
    result = await bench();
  } catch (error) {
    failed = true;
    result = { name, failed: error instanceof Error ? error.message : String(error) };
  }
  const stamped = {
    ...result,
    scale,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    at: new Date().toISOString(),
    benchSeconds: Math.round((Date.now() - t0) / 1000),
    loadAverageBefore: loadBefore,
    loadAverageAfter: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(stamped, null, 2)}\n`);
  process.stdout.write(`  ${name}: ${summarize(stamped)}\n`);
}

// biome-ignore lint/suspicious/noExplicitAny: each bench returns its own shape; this only formats it.
type AnyResult = Record<string, any>;

function summarize(r: AnyResult): string {
  if (r.failed) {
    return `FAILED: ${r.failed}`;
  }
  switch (r.name) {
    case 'spa-size':
      return `initial JS ${r.initialJsWireKb} KiB as served (${r.servedEncodings.join('/')}; gzip ${r.initialJsGzipKb}, brotli ${r.initialJsBrotliKb}, raw ${r.initialJsKb}) in ${r.initialScripts} files; first visit ${r.firstVisitWireKb} KiB on the wire, repeat visit ${r.repeatVisitWireKb} KiB; admin chunks in initial load: ${r.adminChunksInInitialLoad}`;
    case 'webhook-ingest':
      return `${r.eventsPerSecond} events/s durable (${r.dialect}), ${r.errors} errors, p50 ${r.p50ms} ms p99 ${r.p99ms} ms — bare node:http ${r.baselinePerSecond}/s (p50 ${r.baselineP50ms} p99 ${r.baselineP99ms} ms) — ${r.ratioToBaseline}×`;
    case 'reads':
      return `at ${r.perSecond}/s: pools.list p50 ${r.poolsList.p50ms} p99 ${r.poolsList.p99ms} ms; portfolio p50 ${r.portfolio.p50ms} p99 ${r.portfolio.p99ms} ms — /healthz p50 ${r.baseline.p50ms} p99 ${r.baseline.p99ms} ms; offered ${r.pacing ?? 'autocannon overallRate (per-second bursts)'}`;
    case 'scheduler-tick':
      return `${r.transitions} transitions over ${r.pools} due pools in ${r.seconds} s (${r.cpuSeconds} s of CPU); ${r.announcements} announcements, every transition once: ${r.everyTransitionOnce} (dispatcher drained them in ${r.dispatchDrainSeconds} s)`;
    case 'fan-out': {
      const b = r.baseline;
      const equal = r.baselineAtPostedRate ?? b;
      const poster = r.poster
        ? ` (poster: ${r.poster.sendsHeldByUnanswered} sends held by ${r.poster.inFlight} unanswered for ${r.poster.heldMs} ms, ${r.poster.timedSends ?? '?'} sent on their timer (late p99 ${r.poster.timerLateP99Ms} ms), answers p50 ${r.poster.answerP50Ms} p99 ${r.poster.answerP99Ms} ms)`
        : '';
      const atRate = r.baselineAtPostedRate
        ? ` — bare again at ${equal.emittedPerSecond}/s: socket.io p99 ${equal.socketio.p99ms} ms, peak RSS ${equal.peakRssMb} MB`
        : '';
      return `${r.events} events posted at ${r.postedPerSecond ?? '?'}/s (target ${r.eventsPerSecond}/s)${poster}; socket.io ${r.socketio.everyEvent}/${r.socketio.clients} complete in order, p50 ${r.socketio.p50ms} p99 ${r.socketio.p99ms} ms; SSE ${r.sse.everyEvent}/${r.sse.clients}, p50 ${r.sse.p50ms} p99 ${r.sse.p99ms} ms; server peak RSS ${r.serverPeakRssMb} MB (${r.serverIdleRssMb} before clients) — bare at ${b.emittedPerSecond ?? '?'}/s: socket.io p50 ${b.socketio.p50ms} p99 ${b.socketio.p99ms} ms, SSE p99 ${b.sse.p99ms} ms, peak RSS ${b.peakRssMb} MB (${b.idleRssMb} before clients)${atRate} — at equal rates (${r.comparedAtPerSecond ? `${r.comparedAtPerSecond.ours}/s vs ${r.comparedAtPerSecond.bare}/s` : 'not checked'}): p99 ${r.p99Ratio}×, RSS ${r.rssRatio}×${r.rateHeld === false ? '; the asked rate was not held' : ''}`;
    }
    case 'scaleout': {
      const { ingest, reads, delivery } = r;
      const d = delivery.crossProcess;
      return `Postgres, 1 → 3 processes: ingest over ${ingest.pools} pools ${ingest.oneProcess.requestsPerSecond} → ${ingest.threeProcesses.requestsPerSecond} events/s (${ingest.ratio}×, ${ingest.oneProcess.errors + ingest.threeProcesses.errors} errors), one pool ${ingest.onePool?.oneProcess.requestsPerSecond} → ${ingest.onePool?.threeProcesses.requestsPerSecond}/s; pools.list at ${reads.perSecond}/s (held ${reads.oneProcess.requestsPerSecond} → ${reads.threeProcesses.requestsPerSecond}/s) p50 ${reads.oneProcess.p50ms} → ${reads.threeProcesses.p50ms} ms, p99 ${reads.oneProcess.p99ms} → ${reads.threeProcesses.p99ms} ms; delivery at ${delivery.postedPerSecond}/s (target ${delivery.eventsPerSecond}/s) posted to A: cross-process (B, C) ${d.everyEvent}/${d.clients} complete in order, p50 ${d.p50ms} p99 ${d.p99ms} ms — in-process (A) ${delivery.inProcess.everyEvent}/${delivery.inProcess.clients}, p50 ${delivery.inProcess.p50ms} p99 ${delivery.inProcess.p99ms} ms`;
    }
    default:
      return JSON.stringify(r);
  }
}

/** The table of the latest result of every bench (including ones not run this time), with what each is beside. */
function table(): string {
  const rows: string[] = [];
  let machine = '';
  for (const name of ORDER) {
    const file = join(resultsDir, `${name}.json`);
    if (!existsSync(file)) {
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8')) as AnyResult;
    machine ||= `${r.cpu}, ${r.cores} cores, Node ${r.node}`;
    const met = r.failed ? 'failed' : r.met === undefined ? '—' : r.met ? 'met' : 'missed';
    rows.push(
      `| ${name} | ${summarize(r).replaceAll('|', '/')} | ${r.target ?? r.baseline ?? ''} | ${met} | ${r.scale} | ${r.loadAverageBefore ?? '?'} → ${r.loadAverageAfter ?? '?'} | ${r.at} |`,
    );
  }
  return [
    '# Benchmark results',
    '',
    'Generated by `pnpm bench` (e2e/bench/run.ts); see docs/performance.md for what each figure measures.',
    '',
    `Machine: ${machine || 'unknown'}, ${Math.round(totalmem() / 1073741824)} GiB RAM. Scale 1 is the full size.`,
    '',
    '| bench | result (beside its baseline from the same run) | target | | scale | load avg (1 min) | at |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

writeFileSync(join(root, 'bench/RESULTS.md'), table());
process.stdout.write(`\nbench/RESULTS.md written (${Math.round((Date.now() - started) / 1000)} s)\n`);
process.exit(failed ? 1 : 0);
