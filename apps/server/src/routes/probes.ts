import type { ServiceDeps } from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import { createRouter } from '../create-app';
import type { Env } from '../env';
import { errorResponse } from '../http-errors';
import { metricsAccess } from '../metrics-routes';

/**
 * Liveness, readiness (503 while draining or when the database is unreachable) and the Prometheus scrape. On Postgres
 * /readyz also says whether the LISTEN connection is up; a process whose LISTEN connection is down stays ready, since
 * it still delivers every event through the 5 s poll while it reconnects.
 */
export function probeRoutes(deps: {
  env: Env;
  services: ServiceDeps;
  notifications: { readonly listening: boolean } | null;
  isDraining: () => boolean;
}) {
  const { env, services, notifications, isDraining } = deps;
  const { database, metrics } = services;
  const routes = createRouter();

  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/readyz', async (c) => {
    if (isDraining()) {
      return errorResponse(c, new AppError('SERVICE_UNAVAILABLE', 'Shutting down'));
    }
    try {
      await database.ping();
      return c.json({
        status: 'ready',
        database: database.dialect,
        ...(notifications ? { notifications: notifications.listening ? 'listening' : 'reconnecting' } : {}),
      });
    } catch (error) {
      c.get('log').warn(
        { err: error instanceof Error ? error.message : String(error) },
        'readiness: database unreachable',
      );
      return errorResponse(c, new AppError('SERVICE_UNAVAILABLE', 'Database unreachable'));
    }
  });

  // Prometheus scrape endpoint (CONTRACT §9): bearer METRICS_TOKEN; hidden in production when none is configured.
  routes.get('/metrics', async (c) => {
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

  return routes;
}
