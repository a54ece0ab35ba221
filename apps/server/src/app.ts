import {
  ACCESS_COOKIE,
  type Context as ApiContext,
  appRouter,
  authenticate,
  createInnerContext,
  type Meta,
  parseCookies,
  type ServiceDeps,
  type SessionUser,
  walletTransactionsCsv,
} from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import type { AnyTRPCRouter, TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context } from 'hono';
import { type AppEnv, createBaseApp } from './create-app';
import type { Env } from './env';
import { adoptResponse } from './hono-response';
import { errorResponse, toContractError } from './http-errors';
import { createRouteLabeler } from './metrics-routes';
import { createOpenApiHandler } from './openapi-handler';
import { createOpenApiDocument, docsRoutes, type OpenApiDocument } from './routes/docs';
import { probeRoutes } from './routes/probes';
import { spaRoutes } from './routes/spa';
import { webhookRoutes } from './routes/webhooks';
import { sseSubscriptions } from './sse-fanout';

export { type AppEnv, clientIp, nodeRequestIp, sameOriginSockets } from './create-app';
export { createOpenApiDocument } from './routes/docs';

export interface AppDeps {
  env: Env;
  services: ServiceDeps;
  version: string;
  /** Directory of the built SPA to serve, or null (in development Vite serves it). */
  webDist: string | null;
  /** The Postgres LISTEN connection (`PostgresNotifications`), whose state /readyz reports; absent elsewhere. */
  notifications?: { readonly listening: boolean } | null;
}

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

function bearerToken(header: string | undefined): string | null {
  if (!header) {
    return null;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/**
 * Builds the whole HTTP application without listening, so tests drive it with `app.request()`; `server.ts` puts it
 * on a port next to socket.io. The middleware is in create-app.ts; this file mounts the probes, tRPC, the docs, the
 * webhooks, the REST API and the SPA, in that order (the REST catch-all must come after the routes it would shadow).
 */
export function createApp(deps: AppDeps) {
  const { env, services } = deps;
  let draining = false;
  let document: OpenApiDocument | null = null;
  const openApiDocument = () => {
    document ??= createOpenApiDocument(deps);
    return document;
  };
  const routeOf = createRouteLabeler({
    router: appRouter,
    openApiPaths: () =>
      (openApiDocument().paths ?? {}) as Record<string, Record<string, unknown> | undefined>,
  });
  const app = createBaseApp({ env, services, routeOf });

  app.route(
    '/',
    probeRoutes({ env, services, notifications: deps.notifications ?? null, isDraining: () => draining }),
  );

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

  // Subscriptions (SSE) on the node response, events shared across subscribers (sse-fanout.ts); the rest is tRPC's.
  app.get(
    '/trpc/*',
    sseSubscriptions({
      router: appRouter,
      events: services.events,
      log: services.log,
      createContext: contextFor,
      onError: onProcedureError,
    }),
  );
  // tRPC's answer is adopted as it is (adoptResponse) rather than copied by Hono into a streamed Response.
  app.all('/trpc/*', async (c) =>
    adoptResponse(
      c,
      await fetchRequestHandler({
        endpoint: '/trpc',
        req: c.req.raw,
        router: appRouter,
        createContext: ({ resHeaders }) => contextFor(c, resHeaders),
        onError: ({ error, path }) => onProcedureError(c, error, path),
        responseMeta: ({ errors }) => ({ headers: retryAfterOf(errors) }),
      }),
    ),
  );

  app.route('/', docsRoutes(openApiDocument));
  app.route('/', webhookRoutes({ env, services }));

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
    app.route('/', spaRoutes(deps.webDist, services.log));
  }

  return {
    app,
    /** Flips /readyz to 503 so a load balancer stops sending traffic while in-flight work finishes. */
    startDraining() {
      draining = true;
    },
  };
}

export type TradepoolApp = ReturnType<typeof createApp>;
