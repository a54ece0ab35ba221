import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { adoptResponse, readBody, statusTextOf } from './hono-response';

export type Encoding = 'br' | 'gzip';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Answers smaller than this go out as they are: compressing them saves less than the headers and CPU it costs. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/** Statuses whose answers never have a body (Fetch's null body statuses). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * The encodings among ours (brotli, gzip) the client accepts, best first: by its q-values, brotli on a tie;
 * `q=0` refuses one and `*` stands for any not named. Empty for identity only.
 */
export function acceptedEncodings(header: string | undefined | null): Encoding[] {
  if (!header) {
    return [];
  }
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = weight ? Number(weight.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const of = (name: Encoding) => q.get(name) ?? q.get('*') ?? 0;
  return (['br', 'gzip'] as const).filter((e) => of(e) > 0).sort((a, b) => of(b) - of(a));
}

/** The best encoding the client accepts, or null for identity. */
export function negotiateEncoding(header: string | undefined | null): Encoding | null {
  return acceptedEncodings(header)[0] ?? null;
}

/**
 * Brotli quality 2 and gzip level 3: fast levels for answers made per request. On a 32 KB list of 40 pools, brotli 2
 * takes about 0.12 ms of CPU for 5.9 KB where quality 4 took 0.25 ms for 5.75 KB (quality 5 0.42 ms), and gzip 3
 * about 0.09 ms for 6.3 KB where level 6 took 0.18 ms for 6.0 KB. The SPA's files are compressed once at build time
 * at the highest levels instead (apps/web's build writes their .br/.gz copies).
 */
export const DYNAMIC_BROTLI_QUALITY = 2;
export const DYNAMIC_GZIP_LEVEL = 3;

/**
 * Up to this size an answer is compressed on the event loop: brotli 2 of a 32 KB list takes about 0.12 ms there,
 * while the thread pool's asynchronous path cost about 0.3 ms of CPU per answer in stream set-up, hand-off and
 * callbacks (and on two cores competes with the event loop anyway). Larger answers, which would hold the loop for
 * milliseconds, still go to the thread pool.
 */
export const SYNC_COMPRESS_MAX_BYTES = 128 * 1024;

/** A dynamic answer compressed for the encoding the client accepts, at the fast levels above. */
export function compressAnswer(body: Buffer, encoding: Encoding): Promise<Buffer> {
  const brotliOptions = {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  };
  const gzipOptions = { level: DYNAMIC_GZIP_LEVEL };
  if (body.length > SYNC_COMPRESS_MAX_BYTES) {
    return encoding === 'br' ? brotliAsync(body, brotliOptions) : gzipAsync(body, gzipOptions);
  }
  try {
    return Promise.resolve(
      encoding === 'br' ? brotliCompressSync(body, brotliOptions) : gzipSync(body, gzipOptions),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Compresses JSON answers of 1 KiB or more for clients that accept it (`Vary: Accept-Encoding` either way). JSON
 * only: an SSE stream (`text/event-stream`) must reach the client event by event, and compressing it would hold
 * events back in the compressor's buffer, so it and anything already encoded or streamed pass untouched.
 * These answers are made per request, not cached, so they are compressed at fast levels (see `compressAnswer`).
 */
export function compressJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    // `res.body` is asked for only once the answer is to be compressed: on @hono/node-server's lightweight Response
    // it builds the full web Response, whose body then goes out through a web stream instead of one write.
    if (
      !type.startsWith('application/json') ||
      NULL_BODY_STATUSES.has(res.status) ||
      res.status === 206 ||
      c.req.method === 'HEAD' ||
      res.headers.has('content-encoding') ||
      res.headers.has('transfer-encoding')
    ) {
      return;
    }
    const encoding = negotiateEncoding(c.req.header('accept-encoding'));
    const vary = res.headers.get('vary');
    const length = res.headers.get('content-length');
    if (length !== null && Number(length) < COMPRESS_THRESHOLD_BYTES) {
      // Too small ever to be compressed, for anyone: the answer does not vary, nothing to do.
      return;
    }
    if (!encoding) {
      // Uncompressed for this client, perhaps not for the next: say so, and let the body stream through unbuffered.
      if (!vary?.toLowerCase().includes('accept-encoding')) {
        const value = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
        try {
          // In place: Hono's c.header() would copy the whole Response to add one header.
          res.headers.set('vary', value);
        } catch {
          c.header('vary', value);
        }
      }
      return;
    }
    const statusText = statusTextOf(res);
    const body = await readBody(res);
    if (!body) {
      return;
    }
    let out: Buffer = body;
    if (body.length >= COMPRESS_THRESHOLD_BYTES) {
      out = await compressAnswer(body, encoding);
    }
    // The previous answer's headers (all but Content-Type) carry over to the new one, so ours are set after.
    const compressed = adoptResponse(
      c,
      // A view of the compressed bytes, not a copy (zlib's output is never shared memory).
      new Response(new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength), {
        status: res.status,
        statusText,
        headers: { 'content-type': type },
      }),
    );
    if (out !== body) {
      compressed.headers.set('content-encoding', encoding);
    }
    compressed.headers.set('content-length', String(out.length));
    if (!vary?.toLowerCase().includes('accept-encoding')) {
      compressed.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
  };
}
