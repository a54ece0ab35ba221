import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Issue 12's budget for the JS an investor downloads before the first page renders, compressed as served. */
const INITIAL_JS_BUDGET_KIB = 200;

const dist = fileURLToPath(new URL('./dist', import.meta.url));

/**
 * index.html's entry script and modulepreloads, and every chunk they import statically, transitively. Dynamic
 * `import()` (lazy routes) is what loads later and is not followed. Same walk as e2e/bench/spa.ts.
 */
function initialScripts(): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) {
      continue;
    }
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["']\.\/([^"']+\.js)["']/g)) {
      queue.push(`assets/${m[1]}`);
    }
  }
  return [...seen];
}

// Reads the production build (`pnpm build` runs before the tests in CI).
describe('the investor initial JS (apps/web/dist)', () => {
  it('exists: run `pnpm build` first', () => {
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
  });

  it.runIf(existsSync(join(dist, 'index.html')))(
    `stays within ${INITIAL_JS_BUDGET_KIB} KiB as the server sends it (brotli) and holds no admin code`,
    () => {
      const scripts = initialScripts();
      expect(scripts.length).toBeGreaterThan(0);
      // The server answers the build's .br copy when there is one, else the file itself (too small to compress).
      const bytes = scripts.reduce((sum, file) => {
        const path = join(dist, file);
        return sum + readFileSync(existsSync(`${path}.br`) ? `${path}.br` : path).length;
      }, 0);
      expect(bytes / 1024).toBeLessThanOrEqual(INITIAL_JS_BUDGET_KIB);
      // Admin pages and the admin layout are lazy routes: their chunks must not be in the first page's graph.
      expect(scripts.filter((file) => /admin/i.test(file))).toEqual([]);
      // Every compressible script of 1 KiB or more has its precompressed copies.
      for (const file of scripts) {
        const path = join(dist, file);
        if (readFileSync(path).length >= 1024) {
          expect(existsSync(`${path}.br`) && existsSync(`${path}.gz`), file).toBe(true);
        }
      }
    },
  );
});
