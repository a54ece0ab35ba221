import type { IncomingMessage } from 'node:http';
import { getConnInfo } from '@hono/node-server/conninfo';
import { MAX_TRPC_BATCH_CALLS, requestsPerIpLimiter, type ServiceDeps } from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { compressJson } from './compression';
import type { Env } from './env';
import { appendHeader } from './hono-response';
import { errorResponse } from './http-errors';

export type AppEnv = { Variables: { requestId: string; log: Logger; ip: string | null } };

const API_BODY_LIMIT = 1024 * 1024;
/** Probes and webhooks are not rate limited per IP (webhooks are signed and have their own limits). */
const UNLIMITED = [/^\/healthz$/, /^\/readyz$/, /^\/api\/v1\/webhook\//];

/**
 * The websocket origins of this server for the CSP's connect-src: PUBLIC_URL's host when set, else the request's Host
 * (only if it looks like a host name, so a forged header cannot inject directives).
 */
export function sameOriginSockets(c: Context, publicUrl: string | null): string {
  const host = publicUrl ? new URL(publicUrl).host : (c.req.header('host') ?? '');
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) {
    return '';
  }
  return `ws://${host} wss://${host}`;
}

/** The client's IP: the socket's peer, or the proxy-appended last `X-Forwarded-For` hop when TRUST_PROXY is on. */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) {
      return last;
    }
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** The same rule for a raw Node request: socket.io handshakes never reach Hono. */
export function nodeRequestIp(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : header)?.split(',').at(-1)?.trim();
    if (last) {
      return last;
    }
  }
  return req.socket.remoteAddress ?? null;
}

/**
 * How many procedure calls a request carries: tRPC batches name theirs comma-separated in the path
 * (`/trpc/a,b,c?batch=1`); everything else is one.
 */
function trpcCallCount(path: string, batch: string | undefined): number {
  if (batch !== '1' || !path.startsWith('/trpc/')) {
    return 1;
  }
  return path.slice('/trpc/'.length).split(',').length;
}

/** A route module: mounted on the app with `app.route('/', …)`, under the app's middleware and error handling. */
export function createRouter() {
  return new Hono<AppEnv>();
}

/**
 * The Hono app with the middleware every request passes through, in order: request id, logging and HTTP metrics,
 * secure headers (CSP), the per-IP rate limit, CORS, the body limit and JSON compression; then the central
 * not-found and error answers. Routes are mounted on it by `app.ts`.
 */
export function createBaseApp(input: {
  env: Env;
  services: ServiceDeps;
  /** The matched route pattern of a request, for metric labels (see metrics-routes.ts). */
  routeOf: (method: string, path: string) => string;
}) {
  const { env, services, routeOf } = input;
  const { log, metrics } = services;
  const app = new Hono<AppEnv>();
  const perIp = requestsPerIpLimiter(services, env.rateLimitPerMin);

  app.use(requestId({ generator: () => crypto.randomUUID(), limitLength: 64 }));

  app.use(async (c, next) => {
    const reqLog = log.child({ reqId: c.get('requestId') });
    c.set('log', reqLog);
    c.set('ip', clientIp(c, env.trustProxy));
    const started = performance.now();
    try {
      await next();
    } finally {
      const elapsed = performance.now() - started;
      const ms = Math.round(elapsed);
      // Labelled by the matched route pattern, never the raw path (ids would make one series per pool or user).
      const route = routeOf(c.req.method, c.req.path);
      metrics.observeHttp(c.req.method, route, c.res.status, elapsed / 1000);
      if (route === '/api/v1/webhook/model') {
        metrics.observeWebhook(c.res.status);
      }
      // Accepted model deliveries arrive several times a second per pool: worth counting, not a log line each.
      const routine = c.res.status < 400 && c.req.path.startsWith('/api/v1/webhook/');
      const level = c.res.status >= 500 ? 'error' : routine ? 'debug' : 'info';
      reqLog[level]({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
    }
  });

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        // Websockets to this origin only ('self' does not cover ws:/wss: in every browser), never to any host.
        connectSrc: ["'self'", (c) => sameOriginSockets(c, env.publicUrl)],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  // Global per-IP limit on the API surface, counted before any work is done so a refused request changes nothing.
  // Each call of a tRPC batch counts as one request, so batching buys no extra attempts (CONTRACT §8).
  app.use(async (c, next) => {
    const path = c.req.path;
    const limited =
      (path.startsWith('/api/') || path.startsWith('/trpc') || path.startsWith('/socket.io/')) &&
      !UNLIMITED.some((re) => re.test(path));
    if (limited) {
      const calls = trpcCallCount(path, c.req.query('batch'));
      const decision = await perIp.hit(c.get('ip') ?? 'unknown', calls > MAX_TRPC_BATCH_CALLS ? 1 : calls);
      if (!decision.allowed) {
        c.header('Retry-After', String(decision.retryAfterSec));
        return errorResponse(
          c,
          new AppError(
            'TOO_MANY_REQUESTS',
            `Rate limit of ${env.rateLimitPerMin} requests per minute exceeded`,
            {
              retryAfterSec: decision.retryAfterSec,
            },
          ),
        );
      }
      if (calls > MAX_TRPC_BATCH_CALLS) {
        return errorResponse(
          c,
          new AppError(
            'BAD_REQUEST',
            `A tRPC batch may carry at most ${MAX_TRPC_BATCH_CALLS} calls; this one has ${calls}`,
          ),
        );
      }
    }
    await next();
  });

  const allowedOrigin = (origin: string) => (env.corsOrigins.includes(origin) ? origin : null);
  const exposeHeaders = ['Retry-After', 'X-Request-Id'];
  const preflight = cors({
    origin: allowedOrigin,
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders,
    maxAge: 600,
  });
  // Hono's cors answers preflights; for every other request it sets the same headers as Hono's, but adds its
  // `Vary: Origin` after the answer in place (Hono's c.header() there copied the whole Response once more).
  const corsMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method === 'OPTIONS') {
      return preflight(c, next);
    }
    const headers = c.res.headers;
    const origin = allowedOrigin(c.req.header('origin') || '');
    if (origin) {
      headers.set('Access-Control-Allow-Origin', origin);
    }
    headers.set('Access-Control-Allow-Credentials', 'true');
    headers.set('Access-Control-Expose-Headers', exposeHeaders.join(','));
    await next();
    appendHeader(c, 'Vary', 'Origin');
  };
  app.use('/api/*', corsMiddleware);
  app.use('/trpc/*', corsMiddleware);

  const limitBody = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: (c) => errorResponse(c, new AppError('PAYLOAD_TOO_LARGE', 'Request body is larger than 1 MiB')),
  });
  // A GET or HEAD request has no body (neither the Fetch API nor @hono/node-server gives it one), so there is nothing
  // to limit; asking for `body` would make @hono/node-server build the full web Request (headers, AbortSignal,
  // stream) for every read just to find it empty.
  const limit: MiddlewareHandler<AppEnv> = (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next);
  app.use('/api/*', limit);
  app.use('/trpc/*', limit);
  // JSON answers of 1 KiB or more go out brotli/gzip-compressed; SSE streams are left alone (see compression.ts).
  app.use('/trpc/*', compressJson());
  app.use('/api/v1/*', compressJson());

  app.notFound((c) =>
    errorResponse(c, new AppError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`)),
  );

  app.onError((error, c) => {
    if (error instanceof AppError) {
      return errorResponse(c, error);
    }
    (c.get('log') ?? log).error({ err: error }, 'unhandled error');
    return errorResponse(c, new AppError('INTERNAL_SERVER_ERROR', 'Internal server error'));
  });

  return app;
}
