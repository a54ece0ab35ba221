import type { AppRouter } from '@tradepool/api';
import { TRPCError } from '@trpc/server';
import type { Context } from 'hono';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';

type Options<C> = {
  /** Strips this prefix from the URL before matching the OpenAPI paths. */
  endpoint: `/${string}`;
  router: AppRouter;
  createContext: (c: C) => unknown;
  onError: (c: C, error: unknown, path: string | undefined) => void;
  responseMeta: (args: { errors: readonly unknown[]; paths: readonly string[] | undefined }) => {
    status?: number;
    headers?: Record<string, string>;
  };
};

/**
 * The REST (`/api/v1`) handler, built once. trpc-to-openapi's `createOpenApiFetchHandler` builds a new node-http
 * handler on every call, which rebuilds the procedure map and, unless `NODE_ENV=production`, generates the whole
 * OpenAPI document to validate the router: ≈ 40 ms per REST call in tests, ≈ 1.5 ms in production. Here that handler
 * is built once and each request's own state (its Hono context) travels with the request object, which the library
 * hands back to `createContext` and `onError`. The request adaptation is the library's fetch adapter's.
 */
export function createOpenApiHandler<C extends Context>(options: Options<C>) {
  const scopes = new WeakMap<object, C>();
  const scopeOf = (req: object): C => {
    const c = scopes.get(req);
    if (!c) {
      throw new Error('REST request without its context');
    }
    return c;
  };
  const handler = createOpenApiNodeHttpHandler({
    router: options.router,
    // biome-ignore lint/suspicious/noExplicitAny: the library types requests as Node's, the fetch adapter passes a proxy
    createContext: ({ req }: { req: any }) => options.createContext(scopeOf(req)) as any,
    // biome-ignore lint/suspicious/noExplicitAny: as above
    onError: ({ error, path, req }: { error: unknown; path: string | undefined; req: any }) =>
      options.onError(scopeOf(req), error, path),
    // biome-ignore lint/suspicious/noExplicitAny: the library's responseMeta is typed against the router
    responseMeta: ((args: any) => options.responseMeta(args)) as any,
    // biome-ignore lint/suspicious/noExplicitAny: see above
  } as any);

  return async (c: C, request: Request): Promise<Response> => {
    const url = new URL(request.url.replace(options.endpoint, ''));
    const body = await requestBody(request);
    const req = new Proxy(request, {
      get: (target, prop) => {
        if (prop === 'url') {
          return url.toString();
        }
        if (prop === 'body') {
          if (!body.isValid) {
            throw new TRPCError({
              code: 'PARSE_ERROR',
              message: 'Failed to parse request body',
              cause: body.cause,
            });
          }
          return body.data;
        }
        return (target as unknown as Record<string | symbol, unknown>)[prop];
      },
    });
    scopes.set(req, c);
    const resHeaders = new Headers();
    return new Promise<Response>((resolve, reject) => {
      let statusCode = 200;
      const res = {
        setHeader: (key: string, value: string | readonly string[]) => {
          if (typeof value === 'string') {
            resHeaders.set(key, value);
          } else {
            for (const v of value) {
              resHeaders.append(key, v);
            }
          }
        },
        get statusCode() {
          return statusCode;
        },
        set statusCode(code: number) {
          statusCode = code;
        },
        end: (payload?: string) => {
          resolve(new Response(payload, { headers: resHeaders, status: statusCode }));
        },
      };
      // biome-ignore lint/suspicious/noExplicitAny: the fetch adapter's request/response shims, as in the library
      handler(req as any, res as any).catch(reject);
    });
  };
}

type Body = { isValid: true; data: unknown } | { isValid: false; cause: unknown };

/** As trpc-to-openapi's fetch adapter reads it (JSON.parse so that invalid JSON is a PARSE_ERROR). */
async function requestBody(req: Request): Promise<Body> {
  try {
    const type = req.headers.get('content-type');
    if (type?.includes('application/json')) {
      return { isValid: true, data: JSON.parse(await req.text()) };
    }
    if (type?.includes('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(await req.text());
      const data: Record<string, string[]> = {};
      for (const key of params.keys()) {
        data[key] = params.getAll(key);
      }
      return { isValid: true, data };
    }
    return { isValid: true, data: req.body };
  } catch (cause) {
    return { isValid: false, cause };
  }
}
