import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { actOnPool, createPool } from '@tradepool/api/server';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  acceptedEncodings,
  compressAnswer,
  DYNAMIC_BROTLI_QUALITY,
  DYNAMIC_GZIP_LEVEL,
  SYNC_COMPRESS_MAX_BYTES,
} from './compression';
import { startTestServer, type TestServer } from './test-support';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body comes back exactly as sent on the wire (fetch would decode it). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first chunk of a streaming answer, then the connection is dropped. */
function firstChunk(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.once('data', (chunk: Buffer) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunk });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const SCRIPT = `export const greeting = ${JSON.stringify('hello from a hashed asset '.repeat(200))};\n`;

it('negotiates brotli before gzip, honours q-values, q=0 refusals and *', () => {
  expect(acceptedEncodings('gzip, deflate, br')).toEqual(['br', 'gzip']);
  expect(acceptedEncodings('gzip;q=1, br;q=0.5')).toEqual(['gzip', 'br']);
  expect(acceptedEncodings('br;q=0, gzip')).toEqual(['gzip']);
  expect(acceptedEncodings('identity')).toEqual([]);
  expect(acceptedEncodings('*')).toEqual(['br', 'gzip']);
  expect(acceptedEncodings('*;q=0, gzip')).toEqual(['gzip']);
  expect(acceptedEncodings(undefined)).toEqual([]);
});

it('compresses small answers on the event loop and large ones on the thread pool, to the same bytes', async () => {
  const rows = (n: number) =>
    Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `pool-${i}`, value: i * 7919 }))));
  for (const body of [rows(100), rows(8_000)]) {
    expect(body.length > SYNC_COMPRESS_MAX_BYTES).toBe(body.length > 100_000);
    const br = await compressAnswer(body, 'br');
    const gz = await compressAnswer(body, 'gzip');
    expect(brotliDecompressSync(br)).toEqual(body);
    expect(gunzipSync(gz)).toEqual(body);
    expect(br).toEqual(
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    );
  }
});

describeEachDialect(
  'compression over HTTP',
  (suite) => {
    let server: TestServer;
    let token = '';
    let poolId = '';

    beforeAll(async () => {
      // What `vite build` leaves: each compressible file with its .br and .gz copies beside it.
      const dist = mkdtempSync(join(tmpdir(), 'tp-dist-'));
      mkdirSync(join(dist, 'assets'));
      const html = `<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div>${'<!-- padding -->'.repeat(80)}</body></html>`;
      for (const [path, body] of [
        ['index.html', html],
        ['assets/app-abc123.js', SCRIPT],
      ] as const) {
        writeFileSync(join(dist, path), body);
        writeFileSync(join(dist, `${path}.br`), brotliCompressSync(body));
        writeFileSync(join(dist, `${path}.gz`), gzipSync(body));
      }
      writeFileSync(join(dist, 'assets/tiny-def456.js'), 'export {};\n');
      server = await startTestServer(suite.getDb(), { webDist: dist });
      const manager = await createTestUser(server.services, 'MANAGER');
      const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
      for (let i = 0; i < 6; i++) {
        const pool = await createPool(manager.ctx, {
          name: `Compressed pool ${i}`,
          description: 'A pool whose listing makes the JSON answer larger than the compression threshold.',
          strategy: 'MOMENTUM_BTC',
          pair: 'BTC/USDT',
          riskLevel: 'MEDIUM',
          targetAmountCents: 100_000_000,
          minInvestmentCents: 100,
          startDate: at(1),
          endDate: at(100),
          settleDate: at(101),
        });
        await actOnPool(manager.ctx, pool.id, 'publish');
        poolId = pool.id;
      }
      token = (await createTestUser(server.services, 'INVESTOR')).accessToken;
    });

    afterAll(async () => {
      await server?.close();
    });

    it('serves a hashed asset as its brotli copy, its gzip copy, or as it is, by Accept-Encoding', async () => {
      const url = `${server.url}/assets/app-abc123.js`;
      const br = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toBe('Accept-Encoding');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers['content-type']).toContain('text/javascript');
      expect(br.body.length).toBeLessThan(SCRIPT.length / 4);
      expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);

      const gz = await rawGet(url, { 'accept-encoding': 'br;q=0, gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).toString()).toBe(SCRIPT);

      const plain = await rawGet(url);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(plain.body.toString()).toBe(SCRIPT);

      // A file with no precompressed copies (too small to be worth it) is simply itself.
      const tiny = await rawGet(`${server.url}/assets/tiny-def456.js`, { 'accept-encoding': 'br, gzip' });
      expect(tiny.headers['content-encoding']).toBeUndefined();
      expect(tiny.body.toString()).toBe('export {};\n');
    });

    it('serves the SPA shell compressed too, still never cached', async () => {
      const shell = await rawGet(`${server.url}/pools/some-deep-link`, { 'accept-encoding': 'br' });
      expect(shell.status).toBe(200);
      expect(shell.headers['content-encoding']).toBe('br');
      expect(shell.headers['cache-control']).toBe('no-cache');
      expect(brotliDecompressSync(shell.body).toString()).toContain('id="root"');
    });

    it('compresses JSON answers of 1 KiB or more from /trpc and /api/v1, and leaves small ones alone', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const trpcUrl = `${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`;
      const plain = await rawGet(trpcUrl, auth);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      expect(plain.body.length).toBeGreaterThan(1024);
      const expected = JSON.parse(plain.body.toString());

      const br = await rawGet(trpcUrl, { ...auth, 'accept-encoding': 'gzip, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toBe(plain.headers['content-type']);
      expect(br.headers['content-type']).toContain('application/json');
      expect(br.headers['x-request-id']).toBeDefined();
      expect(br.headers.vary).toContain('Accept-Encoding');
      expect(Number(br.headers['content-length'])).toBe(br.body.length);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(expected);

      const gz = await rawGet(`${server.url}/api/v1/pools`, { ...auth, 'accept-encoding': 'gzip' });
      expect(gz.status).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['content-type']).toContain('application/json');
      expect(JSON.parse(gunzipSync(gz.body).toString()).items).toHaveLength(6);

      const small = await rawGet(`${server.url}/api/v1/info`, { 'accept-encoding': 'br, gzip' });
      expect(small.status).toBe(200);
      expect(small.body.length).toBeLessThan(1024);
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString())).toMatchObject({ name: 'Tradepool' });
    });

    it('compresses dynamic JSON at the fast levels (brotli 2, gzip 3), the same bytes as those levels give', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const trpcUrl = `${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`;
      const plain = await rawGet(trpcUrl, auth);
      const br = await rawGet(trpcUrl, { ...auth, 'accept-encoding': 'br' });
      const gz = await rawGet(trpcUrl, { ...auth, 'accept-encoding': 'gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(brotliDecompressSync(br.body)).toEqual(plain.body);
      expect(gunzipSync(gz.body)).toEqual(plain.body);
      expect(br.body).toEqual(
        brotliCompressSync(plain.body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: plain.body.length,
          },
        }),
      );
      expect(DYNAMIC_BROTLI_QUALITY).toBe(2);
      // gzip's header carries no level that differs between 1 and 9 except the XFL byte; compare the deflate data.
      expect(gz.body.subarray(10)).toEqual(gzipSync(plain.body, { level: DYNAMIC_GZIP_LEVEL }).subarray(10));
      expect(DYNAMIC_GZIP_LEVEL).toBe(3);
      expect(gz.body.subarray(10)).not.toEqual(gzipSync(plain.body, { level: 6 }).subarray(10));
    });

    it('never compresses an SSE stream: events reach the client as they happen', async () => {
      const input = encodeURIComponent(JSON.stringify({ poolId }));
      const stream = await firstChunk(`${server.url}/trpc/pools.onEvents?input=${input}`, {
        accept: 'text/event-stream',
        'accept-encoding': 'br, gzip',
        cookie: `tp_access=${token}`,
      });
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      expect(stream.headers['content-encoding']).toBeUndefined();
      expect(stream.body.toString()).toContain('event: connected');
    });
  },
  { dialects: ['sqlite'] },
);
