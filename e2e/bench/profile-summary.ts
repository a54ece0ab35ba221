// Summarises a V8 CPU profile (from BENCH_CPU_PROF=1 pnpm bench): self time by package or source folder and the top
// functions, plus inclusive time of a few functions worth watching. Usage: tsx bench/profile-summary.ts FILE [N]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  throw new Error(
    'usage: profile-summary.ts FILE.cpuprofile [top N] [function names to follow, comma-separated]',
  );
}
const top = Number(process.argv[3] ?? 25);
const follow = (process.argv[4] ?? '').split(',').filter(Boolean);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) {
  for (const c of n.children ?? []) {
    parent.set(c, n.id);
  }
}
// Time per sample: the delta to the next sample.
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function bucket(url: string, name: string): string {
  if (!url) {
    return name.startsWith('(') ? name : '(native)';
  }
  const pkg = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (pkg) {
    return pkg[1] ?? url;
  }
  const ours = url.match(/\/work\/[^/]+\/((?:apps|packages)\/[^/]+\/src\/(?:[^/]+\/)?)/);
  if (ours) {
    return ours[1] ?? url;
  }
  return url.startsWith('node:') ? 'node:internal' : url.replace(/^.*\//, '');
}

const buckets = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id);
  if (!n) {
    continue;
  }
  const { functionName, url, lineNumber } = n.callFrame;
  const b = bucket(url, functionName);
  buckets.set(b, (buckets.get(b) ?? 0) + us);
  const key = `${functionName || '(anonymous)'} ${b}:${lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
// Inclusive time of followed functions: samples with the function anywhere on their stack (counted once).
const inclusive = new Map<string, number>(follow.map((f) => [f, 0]));
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set<string>();
  let id: number | undefined = profile.samples[i];
  while (id !== undefined) {
    const name = byId.get(id)?.callFrame.functionName ?? '';
    if (inclusive.has(name) && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
    }
    id = parent.get(id);
  }
}
// Inclusive time of every function of ours (apps/, packages/): which of our code paths the time is spent under.
const oursInclusive = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set<string>();
  let id: number | undefined = profile.samples[i];
  while (id !== undefined) {
    const frame = byId.get(id)?.callFrame;
    if (frame && /\/(?:apps|packages)\/[^/]+\/src\//.test(frame.url) && !frame.url.includes('node_modules')) {
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(apps|packages)\//, '$1/')}:${frame.lineNumber + 1}`;
      if (!seen.has(key)) {
        seen.add(key);
        oursInclusive.set(key, (oursInclusive.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
      }
    }
    id = parent.get(id);
  }
}
const pct = (us: number) =>
  `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
const print = (title: string, map: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(`${pct(us)}  ${k}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n`);
print('self time by package / source folder', buckets, top);
print('self time by function', functions, top);
print('inclusive time in our code', oursInclusive, top);
if (follow.length > 0) {
  print('inclusive time', inclusive, follow.length);
}
