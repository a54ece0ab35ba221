import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { quietProxyLogger } from './vite-logger';

/** The API server in development; `pnpm dev` runs it on :3000. Proxying keeps the SPA same-origin, as in production. */
const API_ORIGIN = 'http://127.0.0.1:3000';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|webmanifest|map)$/;

/**
 * Writes `file.br` (brotli, maximum quality) and `file.gz` (gzip -9) beside every compressible file of 1 KiB or more
 * in the build output. Compressing once at build time at the slowest, smallest settings costs nothing per request;
 * the server (apps/server/src/static-files.ts) picks the copy the browser accepts.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'tradepool-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        // A file can vanish under us only when another build empties the same folder; that build writes its own.
        if (!COMPRESSIBLE.test(file) || !existsSync(file)) {
          continue;
        }
        const body = readFileSync(file);
        if (body.length < 1024) {
          continue;
        }
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  // Closing a tab must not fill the dev log with proxy EPIPE stack traces.
  customLogger: quietProxyLogger(),
  server: {
    // The address the README gives (http://localhost:5173), and the one Vite prints.
    host: 'localhost',
    port: 5173,
    strictPort: true,
    proxy: {
      '/trpc': { target: API_ORIGIN, changeOrigin: false },
      '/api': { target: API_ORIGIN, changeOrigin: false },
      '/socket.io': { target: API_ORIGIN, ws: true, changeOrigin: false },
      '/healthz': { target: API_ORIGIN },
      '/readyz': { target: API_ORIGIN },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
        codeSplitting: {
          // Libraries in a few long-lived chunks, split by how often they change, so a release that only touches app
          // code re-downloads kilobytes, not the whole stack. `$initial` limits each group to what the first page
          // needs: a library only a lazy route uses (admin pages, charts) stays in that route's chunk, so investors
          // never download admin code.
          groups: [
            {
              name: 'react',
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              tags: ['$initial'],
              priority: 3,
            },
            {
              name: 'mantine',
              test: /[\\/]node_modules[\\/](@mantine|@floating-ui|@tabler)[\\/]/,
              tags: ['$initial'],
              priority: 2,
            },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, tags: ['$initial'], priority: 1 },
          ],
        },
      },
    },
  },
});
