import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import {
  ACCESS_COOKIE,
  type Context as ApiContext,
  appRouter,
  authenticate,
  createInnerContext,
  handleStripeEvent,
  ingestModelWebhook,
  MAX_BODY_BYTES,
  MAX_TRPC_BATCH_CALLS,
  type Meta,
  parseCookies,
  requestsPerIpLimiter,
  type ServiceDeps,
  type SessionUser,
  WebhookRefusalLimit,
  walletTransactionsCsv,
} from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import type { AnyTRPCRouter, TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { compressJson } from './compression';
import type { Env } from './env';
import { errorResponse, toContractError } from './http-errors';
import { createRouteLabeler, metricsAccess } from './metrics-routes';
import { createOpenApiHandler } from './openapi-handler';
import { readStaticFile, staticEncodingHeaders } from './static-files';
import { createStripeClient } from './stripe';

export interface AppDeps {
  env: Env;
  services: ServiceDeps;
  version: string;
  /** Directory of the built SPA to serve, or null (in development Vite serves it). */
  webDist: string | null;
}

export type AppEnv = { Variables: { requestId: string; log: Logger; ip: string | null } };

const API_BODY_LIMIT = 1024 * 1024;
const NON_SPA_PREFIXES = ['/api/', '/trpc/', '/trpc', '/socket.io/', '/healthz', '/readyz', '/metrics'];
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

export function createOpenApiDocument(deps: Pick<AppDeps, 'version' | 'env'>) {
  return generateOpenApiDocument(appRouter, {
    title: 'Tradepool API',
    description:
      'Pooled trading funds. Money amounts are integer US cents in fields ending in `Cents`; times are ISO 8601 UTC; ' +
      'errors are `{code, message}`. Authenticate with `Authorization: Bearer <accessToken>` (from `POST /auth/login`).',
    version: deps.version,
    baseUrl: `${deps.env.publicUrl ?? ''}/api/v1`,
    docsUrl: '/api/v1/docs',
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  });
}

function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tradepool API</title>
    <link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css" />
    <link rel="stylesheet" href="/api/v1/docs/docs.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/v1/docs/init.js"></script>
  </body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // A bearer token typed here stays in this page's memory only: localStorage would hand it to any script on the origin.
  persistAuthorization: false,
});`;

const DOCS_CSS = 'body { margin: 0 } .swagger-ui .topbar { display: none }';

/** The success status a procedure declares in its meta (201 for creations, 204 for no content). */
function successStatusOf(path: string | undefined): number | undefined {
  if (!path) {
    return undefined;
  }
  const procedure = (appRouter as AnyTRPCRouter)._def.procedures[path] as
    | { _def?: { meta?: Meta } }
    | undefined;
  return procedure?._def?.meta?.successStatus;
}

function retryAfterOf(errors: TRPCError[]): Record<string, string> | undefined {
  for (const error of errors) {
    const cause = error.cause;
    if (cause instanceof AppError && cause.retryAfterSec !== undefined) {
      return { 'Retry-After': String(cause.retryAfterSec) };
    }
  }
  return undefined;
}

/**
 * REST bodies are JSON. A POST with no body at all (`POST /auth/subscribe`) is read as `{}` rather than refused for
 * its missing Content-Type.
 */
async function withJsonBody(req: Request): Promise<Request> {
  if (!['POST', 'PATCH', 'PUT', 'DELETE'].includes(req.method) || req.headers.get('content-type')) {
    return req;
  }
  const text = await req.text();
  const headers = new Headers(req.headers);
  headers.set('content-type', 'application/json');
  return new Request(req.url, { method: req.method, headers, body: text || '{}' });
}

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) {
    return;
  }
  try {
    const reader = body.getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) {
        return;
      }
    }
  } catch {
    // Already consumed or aborted: nothing left to drain.
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) {
    return null;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
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

/**
 * Builds the whole HTTP application without listening, so tests drive it with `app.request()`; `server.ts` puts it
 * on a port next to socket.io.
 */
export function createApp(deps: AppDeps) {
  const { env, services } = deps;
  const { database, log } = services;
  const app = new Hono<AppEnv>();
  const perIp = requestsPerIpLimiter(services, env.rateLimitPerMin);
  let draining = false;
  const { metrics } = services;
  let openApiDocument: ReturnType<typeof createOpenApiDocument> | null = null;
  const routeOf = createRouteLabeler({
    router: appRouter,
    openApiPaths: () => {
      openApiDocument ??= createOpenApiDocument(deps);
      return (openApiDocument.paths ?? {}) as Record<string, Record<string, unknown> | undefined>;
    },
  });

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

  const corsMiddleware = cors({
    origin: (origin) => (env.corsOrigins.includes(origin) ? origin : null),
    credentials: true,
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  app.use('/api/*', corsMiddleware);
  app.use('/trpc/*', corsMiddleware);

  const limit = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: (c) => errorResponse(c, new AppError('PAYLOAD_TOO_LARGE', 'Request body is larger than 1 MiB')),
  });
  app.use('/api/*', limit);
  app.use('/trpc/*', limit);
  // JSON answers of 1 KiB or more go out brotli/gzip-compressed; SSE streams are left alone (see compression.ts).
  app.use('/trpc/*', compressJson());
  app.use('/api/v1/*', compressJson());

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (draining) {
      return errorResponse(c, new AppError('SERVICE_UNAVAILABLE', 'Shutting down'));
    }
    try {
      await database.ping();
      return c.json({ status: 'ready', database: database.dialect });
    } catch (error) {
      c.get('log').warn(
        { err: error instanceof Error ? error.message : String(error) },
        'readiness: database unreachable',
      );
      return errorResponse(c, new AppError('SERVICE_UNAVAILABLE', 'Database unreachable'));
    }
  });

  // Prometheus scrape endpoint (CONTRACT §9): bearer METRICS_TOKEN; hidden in production when none is configured.
  app.get('/metrics', async (c) => {
    const access = metricsAccess(env, c.req.header('authorization'));
    if (access === 'hidden') {
      return errorResponse(c, new AppError('NOT_FOUND', `No route for GET ${c.req.path}`));
    }
    if (access === 'unauthorized') {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return errorResponse(c, new AppError('UNAUTHORIZED', 'Bearer METRICS_TOKEN required'));
    }
    return c.body(await metrics.text(), 200, {
      'content-type': metrics.contentType,
      'cache-control': 'no-store',
    });
  });

  /**
   * Who is calling: the bearer token, or, only for SSE subscriptions (EventSource cannot send headers), the httpOnly
   * access cookie. A present but invalid token is treated as no token: protected procedures then answer 401.
   */
  const contextFor = async (c: Context<AppEnv>, resHeaders: Headers | null): Promise<ApiContext> => {
    const cookies = parseCookies(c.req.header('cookie'));
    const isEventStream =
      c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/event-stream');
    const bearer = bearerToken(c.req.header('authorization'));
    // /api/v1/model/* belongs to the trading model: its bearer is a model API key, never a user's session (and a
    // model key anywhere else is just an invalid token).
    const modelApiKey = c.req.path.startsWith('/api/v1/model/') ? bearer : null;
    const token =
      modelApiKey !== null ? null : (bearer ?? (isEventStream ? (cookies[ACCESS_COOKIE] ?? null) : null));
    const user: SessionUser | null = token ? await authenticate(services, token) : null;
    return createInnerContext(
      { ...services, log: c.get('log') },
      {
        user,
        ip: c.get('ip'),
        userAgent: c.req.header('user-agent') ?? null,
        requestId: c.get('requestId'),
        cookies,
        resHeaders,
        idempotencyKey: c.req.header('idempotency-key') ?? null,
        modelApiKey,
      },
    );
  };

  const onProcedureError = (c: Context<AppEnv>, error: TRPCError, path?: string) => {
    if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
      c.get('log').error({ err: error.cause ?? error, path }, 'procedure failed');
    }
  };

  app.all('/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      createContext: ({ resHeaders }) => contextFor(c, resHeaders),
      onError: ({ error, path }) => onProcedureError(c, error, path),
      responseMeta: ({ errors }) => ({ headers: retryAfterOf(errors) }),
    }),
  );

  app.get('/api/v1/openapi.json', (c) => {
    openApiDocument ??= createOpenApiDocument(deps);
    return c.json(openApiDocument);
  });
  app.get('/api/v1/docs', (c) => c.html(DOCS_HTML));
  app.get('/api/v1/docs/init.js', (c) =>
    c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  app.get('/api/v1/docs/docs.css', (c) =>
    c.body(DOCS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  const swaggerDir = swaggerUiDir();
  app.get('/api/v1/docs/assets/:file', async (c) => {
    const file = await readStaticFile(swaggerDir, `/${c.req.param('file')}`);
    if (!file) {
      return errorResponse(c, new AppError('NOT_FOUND', 'No such documentation asset'));
    }
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': file.contentType,
      'cache-control': 'public, max-age=86400',
    });
  });

  // The trading model's webhook: raw body (the signature covers the exact bytes), its own 256 KiB limit. Not under
  // the per-IP request limit (a busy model posts often), but its refusals are, in the shared limiter store (CONTRACT §8).
  const webhookRefusals = new WebhookRefusalLimit(
    services.limiterStore,
    services.clock,
    env.webhookRefusalsPerMin,
    log,
  );
  const webhookAnswer = (c: Context<AppEnv>, answer: Awaited<ReturnType<typeof ingestModelWebhook>>) => {
    if (answer.retryAfterSec !== undefined) {
      c.header('Retry-After', String(answer.retryAfterSec));
    }
    return c.json(answer.body, answer.status as ContentfulStatusCode);
  };
  app.post(
    '/api/v1/webhook/model',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        // Read and drop what the client is still sending (the global 1 MiB limit bounds it), so it gets the 413
        // instead of a reset connection.
        await drain(c.req.raw.body);
        const answer = await ingestModelWebhook(services, {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
          body: '',
          bytes: Number(c.req.header('content-length') ?? MAX_BODY_BYTES + 1),
          ip: c.get('ip'),
          refusals: webhookRefusals,
        });
        return webhookAnswer(c, answer);
      },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const answer = await ingestModelWebhook(services, {
        id: c.req.header('webhook-id'),
        timestamp: c.req.header('webhook-timestamp'),
        signature: c.req.header('webhook-signature'),
        body: new TextDecoder().decode(bytes),
        bytes: bytes.byteLength,
        ip: c.get('ip'),
        refusals: webhookRefusals,
      });
      return webhookAnswer(c, answer);
    },
  );

  // Stripe's signed webhook: verified by the SDK on the raw body, each event applied once.
  const stripe = env.stripe ? createStripeClient(env.stripe) : null;
  app.post('/api/v1/webhook/payments/stripe', async (c) => {
    if (!stripe || !env.stripe) {
      return errorResponse(
        c,
        new AppError('NOT_FOUND', 'Stripe payments are not enabled (PAYMENT_PROVIDER=demo)'),
      );
    }
    const body = await c.req.text();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(
        body,
        c.req.header('stripe-signature') ?? '',
        env.stripe.webhookSecret,
      );
    } catch (error) {
      c.get('log').warn(
        { err: error instanceof Error ? error.message : String(error) },
        'stripe webhook refused',
      );
      return errorResponse(c, new AppError('UNAUTHORIZED', 'Invalid Stripe signature'));
    }
    const object = event.data.object as { metadata?: Record<string, string> | null };
    const result = await handleStripeEvent(services, {
      id: event.id,
      type: event.type,
      paymentId: object.metadata?.paymentId ?? null,
    });
    return c.json({ received: true, ...result });
  });

  // `?format=csv` of the wallet's movements: a file download, which the JSON procedure cannot answer.
  app.get('/api/v1/wallet/transactions', async (c, next) => {
    if (c.req.query('format') !== 'csv') {
      return next();
    }
    const ctx = await contextFor(c, null);
    if (!ctx.user || ctx.user.pendingTotpEnrollment) {
      return errorResponse(c, new AppError('UNAUTHORIZED', 'Sign in required'));
    }
    const csv = await walletTransactionsCsv(ctx);
    const day = services.clock.now().toISOString().slice(0, 10);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tradepool-transactions-${day}.csv"`,
      'cache-control': 'no-store',
    });
  });

  // Built once per app, not per request (see openapi-handler.ts).
  const restHandler = createOpenApiHandler<Context<AppEnv>>({
    endpoint: '/api/v1',
    router: appRouter,
    createContext: (c) => contextFor(c, null),
    onError: (c, error, path) => onProcedureError(c, error as TRPCError, path),
    responseMeta: ({ errors, paths }) => {
      if (errors.length > 0) {
        return { headers: retryAfterOf(errors as TRPCError[]) ?? {} };
      }
      const status = successStatusOf(paths?.[0]);
      return status ? { status } : {};
    },
  });
  app.all('/api/v1/*', async (c) => {
    const response = await restHandler(c, await withJsonBody(c.req.raw));
    if (response.status === 204) {
      return new Response(null, { status: 204, headers: { 'x-request-id': c.get('requestId') } });
    }
    return toContractError(response);
  });

  if (deps.webDist) {
    const root = resolve(deps.webDist);
    app.get('*', async (c, next) => {
      const path = c.req.path;
      if (NON_SPA_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix))) {
        return next();
      }
      const file = await readStaticFile(root, path, c.req.header('accept-encoding'));
      if (file && path !== '/index.html') {
        // Vite fingerprints everything under /assets, so those may be cached forever; anything else is revalidated.
        const cache = path.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=0, must-revalidate';
        return c.body(new Uint8Array(file.body), 200, {
          'content-type': file.contentType,
          'cache-control': cache,
          ...staticEncodingHeaders(file),
        });
      }
      if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
        return next();
      }
      // Client-side routes: every other GET gets the SPA shell, never cached so a deploy takes effect at once.
      const index = await readStaticFile(root, '/index.html', c.req.header('accept-encoding'));
      if (!index) {
        log.error({ root }, 'built SPA has no index.html');
        return next();
      }
      return c.body(new Uint8Array(index.body), 200, {
        'content-type': index.contentType,
        'cache-control': 'no-cache',
        ...staticEncodingHeaders(index),
      });
    });
  }

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

  return {
    app,
    /** Flips /readyz to 503 so a load balancer stops sending traffic while in-flight work finishes. */
    startDraining() {
      draining = true;
    },
  };
}

export type TradepoolApp = ReturnType<typeof createApp>;
