import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { spawnChild } from './child';

export const INITIAL_JS_BUDGET_KIB = 200;

/**
 * The JS an investor's browser loads before the first page renders: the entry script of index.html, its
 * modulepreloads and, transitively, every chunk they import statically (dynamic `import()` is what lazy routes load
 * later and is not followed).
 */
export function initialGraph(dist: string): { scripts: string[]; styles: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const scripts = new Set<string>();
  const queue = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (scripts.has(file)) {
      continue;
    }
    scripts.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`.
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g)) {
      queue.push(`assets/${m[1]}`);
    }
  }
  const styles = [...html.matchAll(/<link[^>]+href="\/(assets\/[^"]+\.css)"/g)].map((m) => m[1] ?? '');
  return { scripts: [...scripts], styles };
}

/** Fetches `path` with the given Accept-Encoding and counts the bytes as they come off the socket (not decoded). */
function wire(url: string, path: string, encoding: string) {
  return new Promise<{ status: number; bytes: number; encoding: string; cacheControl: string }>(
    (resolve, reject) => {
      const req = request(`${url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes,
            encoding: String(res.headers['content-encoding'] ?? 'identity'),
            cacheControl: String(res.headers['cache-control'] ?? ''),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

/**
 * Initial JS an investor downloads (gzip and brotli), no admin chunk in it, and the bytes the first visit to the
 * signed-in dashboard puts on the wire as the server really sends them (HTML + initial JS + CSS, Accept-Encoding
 * br, gzip); a repeat visit re-fetches only what is not cached immutably.
 */
export async function benchSpa(root: string) {
  const dist = join(root, 'apps/web/dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('apps/web/dist is missing: run pnpm build first');
  }
  const { scripts, styles } = initialGraph(dist);
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const script of scripts) {
    const body = readFileSync(join(dist, script));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
    brotli += brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  const adminInInitial = scripts.filter((s) => /admin/i.test(s));

  const server = spawnChild('server-process.ts', { env: { BENCH_WEB_DIST: dist } });
  let firstVisit = 0;
  let initialJsWire = 0;
  let repeatVisit = 0;
  const encodings = new Set<string>();
  const notImmutable: string[] = [];
  /** Files of 1 KiB or more that went out uncompressed (smaller ones are not worth compressing). */
  const uncompressed: string[] = [];
  try {
    await server.ready;
    const url = await server.call<string>('url');
    const html = await wire(url, '/', 'br, gzip');
    firstVisit += html.bytes;
    repeatVisit += html.bytes;
    for (const file of [...scripts, ...styles]) {
      const res = await wire(url, `/${file}`, 'br, gzip');
      if (res.status !== 200) {
        throw new Error(`/${file}: ${res.status}`);
      }
      firstVisit += res.bytes;
      if (file.endsWith('.js')) {
        initialJsWire += res.bytes;
      }
      encodings.add(res.encoding);
      if (res.encoding === 'identity' && res.bytes >= 1024) {
        uncompressed.push(file);
      }
      if (!/immutable/.test(res.cacheControl)) {
        notImmutable.push(file);
        repeatVisit += res.bytes;
      }
    }
  } finally {
    await server.stop();
  }
  const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
  return {
    name: 'spa-size',
    initialScripts: scripts.length,
    initialJsKb: kib(raw),
    initialJsGzipKb: kib(gzip),
    initialJsBrotliKb: kib(brotli),
    initialJsWireKb: kib(initialJsWire),
    firstVisitWireKb: kib(firstVisit),
    repeatVisitWireKb: kib(repeatVisit),
    servedEncodings: [...encodings],
    assetsNotImmutable: notImmutable,
    uncompressedAssets: uncompressed,
    adminChunksInInitialLoad: adminInInitial.length,
    baseline: 'none (absolute sizes)',
    target: `initial JS ≤ ${INITIAL_JS_BUDGET_KIB} KiB compressed as served, no admin chunk, assets compressed and immutable`,
    met:
      initialJsWire / 1024 <= INITIAL_JS_BUDGET_KIB &&
      adminInInitial.length === 0 &&
      notImmutable.length === 0 &&
      uncompressed.length === 0,
  };
}
