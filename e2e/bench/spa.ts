import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Initial JS an investor downloads (entry + modulepreloads of index.html), gzip; the admin chunks must not be in it. */
export function benchSpa(root: string) {
  const dist = join(root, 'apps/web/dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    throw new Error('apps/web/dist is missing: run pnpm build first');
  }
  const html = readFileSync(index, 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  let raw = 0;
  let gzip = 0;
  for (const script of scripts) {
    const body = readFileSync(join(dist, script));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  const adminInInitial = scripts.filter((s) => /admin/i.test(s));
  return {
    name: 'spa-size',
    initialScripts: scripts.length,
    initialJsKb: Math.round(raw / 1024),
    initialJsGzipKb: Math.round(gzip / 1024),
    adminChunksInInitialLoad: adminInInitial.length,
    baseline: 'budget: 300 KiB gzip initial JS, no admin chunk',
    withinBudget: gzip / 1024 <= 300 && adminInInitial.length === 0,
  };
}
