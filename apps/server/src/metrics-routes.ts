import { timingSafeEqual } from 'node:crypto';
import type { AnyTRPCRouter } from '@trpc/server';

interface Template {
  method: string;
  pattern: RegExp;
  route: string;
}

const FIXED: Record<string, string> = {
  '/healthz': '/healthz',
  '/readyz': '/readyz',
  '/metrics': '/metrics',
  '/api/v1/openapi.json': '/api/v1/openapi.json',
  '/api/v1/docs': '/api/v1/docs',
  '/api/v1/docs/init.js': '/api/v1/docs/init.js',
  '/api/v1/docs/docs.css': '/api/v1/docs/docs.css',
  '/api/v1/webhook/model': '/api/v1/webhook/model',
  '/api/v1/webhook/payments/stripe': '/api/v1/webhook/payments/stripe',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Turns a request into the route pattern it matched, for metric labels: `/api/v1/pools/{id}`, `/trpc/pools.list`,
 * never a raw path with an id in it (one time series per pool or user would swamp Prometheus). Anything that matches
 * no known route gets a fixed bucket label.
 */
export function createRouteLabeler(input: {
  router: AnyTRPCRouter;
  /** OpenAPI `paths` of the REST API (relative to /api/v1), built lazily on the first REST request. */
  openApiPaths: () => Record<string, Record<string, unknown> | undefined>;
}): (method: string, path: string) => string {
  const procedures = new Set(Object.keys(input.router._def.procedures as Record<string, unknown>));
  let templates: Template[] | null = null;
  const restTemplates = (): Template[] => {
    if (templates) {
      return templates;
    }
    const list: Template[] = [];
    for (const [path, operations] of Object.entries(input.openApiPaths())) {
      const source = `^/api/v1${path
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '[^/]+' : escapeRegExp(part)))
        .join('')}/?$`;
      for (const method of Object.keys(operations ?? {})) {
        list.push({ method: method.toUpperCase(), pattern: new RegExp(source), route: `/api/v1${path}` });
      }
    }
    // Literal paths before parameterised ones (`/pools/mine` before `/pools/{id}`).
    list.sort((a, b) => Number(a.route.includes('{')) - Number(b.route.includes('{')));
    templates = list;
    return list;
  };

  return (method, path) => {
    const fixed = FIXED[path];
    if (fixed) {
      return fixed;
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      const names = path.slice('/trpc/'.length).split(',');
      if (names.length > 1) {
        return '/trpc/(batch)';
      }
      const name = names[0] ?? '';
      return procedures.has(name) ? `/trpc/${name}` : '/trpc/(unknown)';
    }
    if (path.startsWith('/api/v1/docs/assets/')) {
      return '/api/v1/docs/assets/:file';
    }
    if (path.startsWith('/api/')) {
      const upper = method.toUpperCase();
      for (const template of restTemplates()) {
        if (template.method === upper && template.pattern.test(path)) {
          return template.route;
        }
      }
      return '/api/(unmatched)';
    }
    if (path.startsWith('/socket.io')) {
      return '/socket.io';
    }
    if (path.startsWith('/assets/')) {
      return '/assets/*';
    }
    return method.toUpperCase() === 'GET' ? '(spa)' : '(unmatched)';
  };
}

/**
 * Who may read GET /metrics. A configured METRICS_TOKEN is required wherever it is set; without one, production hides
 * the endpoint (404, CONTRACT §9) and development or tests leave it open.
 */
export function metricsAccess(
  env: { isProduction: boolean; metricsToken: string | null },
  authorization: string | undefined,
): 'ok' | 'unauthorized' | 'hidden' {
  if (!env.metricsToken) {
    return env.isProduction ? 'hidden' : 'ok';
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) {
    return 'unauthorized';
  }
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(env.metricsToken);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'unauthorized';
}
