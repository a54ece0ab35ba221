import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

export type Encoding = 'br' | 'gzip';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Answers smaller than this go out as they are: compressing them saves less than the headers and CPU it costs. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

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
 * Compresses JSON answers of 1 KiB or more for clients that accept it (`Vary: Accept-Encoding` either way). JSON
 * only: an SSE stream (`text/event-stream`) must reach the client event by event, and compressing it would hold
 * events back in the compressor's buffer, so it and anything already encoded or streamed pass untouched.
 * Brotli at quality 4 costs about what gzip does and is smaller; these answers are made per request, not cached.
 */
export function compressJson(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (
      !type.startsWith('application/json') ||
      !res.body ||
      res.status === 204 ||
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
    const body = Buffer.from(await res.arrayBuffer());
    let out: Buffer = body;
    if (body.length >= COMPRESS_THRESHOLD_BYTES) {
      out =
        encoding === 'br'
          ? await brotliAsync(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 4,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            })
          : await gzipAsync(body, { level: 6 });
    }
    // Hono copies the previous answer's headers (all but Content-Type) onto the new one, so ours are set after.
    c.res = new Response(new Uint8Array(out), {
      status: res.status,
      statusText: res.statusText,
      headers: { 'content-type': type },
    });
    if (out !== body) {
      c.res.headers.set('content-encoding', encoding);
    }
    c.res.headers.set('content-length', String(out.length));
    if (!vary?.toLowerCase().includes('accept-encoding')) {
      c.res.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
  };
}
