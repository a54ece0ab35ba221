import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DeliveryStore,
  ingestModelWebhook,
  MAX_BODY_BYTES,
  type ServiceDeps,
  WebhookRefusalLimit,
} from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import type { Context } from 'hono';
import { COMPRESS_THRESHOLD_BYTES, compressAnswer, negotiateEncoding } from '../compression';
import { nodeRequestIp, sameOriginSockets } from '../create-app';
import type { Env } from '../env';

export const MODEL_WEBHOOK_PATH = '/api/v1/webhook/model';

/**
 * The bound of every /api/* body (create-app's body limit). An oversized delivery is read and dropped up to here so
 * its client gets the 413 rather than a reset connection; past it the connection is closed after the answer.
 */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

/** Hono's request-id rule (create-app: `requestId({ limitLength: 64 })`): a client's id is kept when it looks safe. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,64}$/;

/** The security headers create-app's `secureHeaders` puts on every answer, except the CSP (per host, below). */
const SECURE_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const CSP_BEFORE_SOCKETS =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'";
const CSP_AFTER_SOCKETS = "; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

type Answer = Awaited<ReturnType<typeof ingestModelWebhook>>;

interface ReadBody {
  /** The body, or null when it was over the webhook's limit (then only counted). */
  body: Buffer | null;
  bytes: number;
  /** False when the client was still sending past the drain limit: the connection must not be reused. */
  complete: boolean;
}

/**
 * Reads the body off the socket: kept up to `MAX_BODY_BYTES`, counted and dropped beyond (a Content-Length over the
 * limit is not kept at all), and not read past `DRAIN_LIMIT_BYTES`. Rejects when the client goes away mid-body.
 */
function readBody(req: IncomingMessage): Promise<ReadBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  let keep = !(declared > MAX_BODY_BYTES);
  if (declared > DRAIN_LIMIT_BYTES) {
    // Announced beyond anything that will be read: answered at once, and the connection closed after it.
    return Promise.resolve({ body: null, bytes: declared, complete: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (complete: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve({
        body: keep ? (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes)) : null,
        bytes: keep ? bytes : Math.max(bytes, declared),
        complete,
      });
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (keep && bytes > MAX_BODY_BYTES) {
        keep = false;
        chunks.length = 0;
      }
      if (keep) {
        chunks.push(chunk);
      } else if (bytes > DRAIN_LIMIT_BYTES) {
        req.pause();
        done(false);
      }
    };
    const onEnd = () => done(true);
    const onError = (error: Error) => reject(error);
    const onClose = () => {
      if (!req.complete) {
        reject(new Error('client closed the request before its body was complete'));
      }
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

const utf8 = new TextDecoder();
/**
 * The trading model's webhook (`POST /api/v1/webhook/model`), served straight from Node's request and response:
 * it is the busiest write of the platform, and building the web `Request`, `Headers` and `AbortSignal` for Hono and
 * running the API middleware was about a third of each delivery's CPU. It keeps what that middleware gave it: the
 * request id (kept from `X-Request-Id` when safe, answered in `X-Request-Id`), the client IP rule (`nodeRequestIp`),
 * the security and CORS headers of every API answer, JSON answers of 1 KiB or more compressed when accepted, the HTTP
 * and webhook metrics and the request log line (debug for accepted deliveries). Not under the per-IP request limit (a
 * busy model posts often), but its refusals are, in the shared limiter store (CONTRACT §8). Bodies over 256 KiB get
 * 413 once read (and dropped) to the end, up to the 1 MiB every /api/* body is bounded by.
 *
 * Returns a listener that takes exactly this route's requests and says whether it took the request; every other
 * request goes on to the Hono app.
 */
export function modelWebhookRoute(deps: { env: Env; services: ServiceDeps; store?: DeliveryStore | null }) {
  const { env, services } = deps;
  const store = deps.store ?? undefined;
  const { log, metrics } = services;
  const refusals = new WebhookRefusalLimit(
    services.limiterStore,
    services.clock,
    env.webhookRefusalsPerMin,
    services.log,
  );
  const exposeHeaders = 'Retry-After,X-Request-Id';

  const headersFor = (req: IncomingMessage, requestId: string): Record<string, string> => {
    const host = req.headers.host;
    const sockets = sameOriginSockets({ req: { header: () => host } } as unknown as Context, env.publicUrl);
    const headers: Record<string, string> = {
      'content-security-policy': `${CSP_BEFORE_SOCKETS} ${sockets}${CSP_AFTER_SOCKETS}`,
      ...SECURE_HEADERS,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': exposeHeaders,
      vary: 'Accept-Encoding, Origin',
      'x-request-id': requestId,
    };
    const origin = req.headers.origin;
    if (origin && env.corsOrigins.includes(origin)) {
      headers['access-control-allow-origin'] = origin;
    }
    return headers;
  };

  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    result: Answer,
    closeAfter: boolean,
  ): Promise<void> => {
    const headers = headersFor(req, requestId);
    headers['content-type'] = 'application/json';
    if (result.retryAfterSec !== undefined) {
      headers['retry-after'] = String(result.retryAfterSec);
    }
    let payload: Buffer = Buffer.from(JSON.stringify(result.body));
    const encoding =
      payload.length >= COMPRESS_THRESHOLD_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : null;
    if (encoding) {
      payload = await compressAnswer(payload, encoding);
      headers['content-encoding'] = encoding;
    }
    headers['content-length'] = String(payload.length);
    if (closeAfter) {
      headers.connection = 'close';
    }
    res.writeHead(result.status, headers);
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const header = req.headers['x-request-id'];
    const requestId =
      typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : crypto.randomUUID();
    const ip = nodeRequestIp(req, env.trustProxy);
    let status = 500;
    try {
      let read: ReadBody;
      try {
        read = await readBody(req);
      } catch {
        // The client went away mid-body: nobody to answer, nothing applied.
        status = 499;
        return;
      }
      let result: Answer;
      try {
        result = await ingestModelWebhook(services, {
          id: req.headers['webhook-id'] as string | undefined,
          timestamp: req.headers['webhook-timestamp'] as string | undefined,
          signature: req.headers['webhook-signature'] as string | undefined,
          body: read.body ? utf8.decode(read.body) : '',
          bytes: read.bytes,
          ip,
          refusals,
          store,
        });
      } catch (error) {
        log.error({ reqId: requestId, err: error }, 'unhandled error');
        const internal = new AppError('INTERNAL_SERVER_ERROR', 'Internal server error');
        result = { status: internal.status, body: internal.toBody() };
      }
      status = result.status;
      await answer(req, res, requestId, result, !read.complete);
    } finally {
      const elapsed = performance.now() - started;
      if (status !== 499) {
        metrics.observeHttp('POST', MODEL_WEBHOOK_PATH, status, elapsed / 1000);
        metrics.observeWebhook(status);
      }
      // Accepted deliveries arrive several times a second per pool: worth counting, not a log line each.
      const level = status >= 500 ? 'error' : status < 400 ? 'debug' : 'info';
      if (log.isLevelEnabled(level)) {
        log[level](
          { reqId: requestId, method: 'POST', path: MODEL_WEBHOOK_PATH, status, ms: Math.round(elapsed) },
          'request',
        );
      }
    }
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST') {
      return false;
    }
    const url = req.url ?? '';
    const path = url.length === MODEL_WEBHOOK_PATH.length ? url : url.split('?', 1)[0];
    if (path !== MODEL_WEBHOOK_PATH) {
      return false;
    }
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'model webhook: answering failed');
      res.destroy();
    });
    return true;
  };
}
