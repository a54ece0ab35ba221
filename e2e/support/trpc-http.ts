import type { APIRequestContext } from '@playwright/test';

/** A refusal from the API, with the contract's error data (`appCode`, `fields`, `details`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly path: string,
    readonly status: number,
    readonly data:
      | { appCode?: string; fields?: Record<string, string> | null; details?: unknown }
      | undefined,
    message: string,
  ) {
    super(`${path}: ${status} ${data?.appCode ?? ''} ${message}`);
  }
}

interface CallOptions {
  /** Access token, sent as `Authorization: Bearer …`. */
  token?: string;
}

type Envelope = { result: { data: unknown } } | { error: { message: string; data?: ApiError['data'] } };

/**
 * Calls a tRPC procedure the way the SPA does (batch framing, one call), through a Playwright request context. Use
 * `page.request` to share the browser's cookies: a session opened here (its httpOnly refresh cookie) is the page's
 * session too, so the app starts signed in.
 */
async function call<T>(
  request: APIRequestContext,
  type: 'query' | 'mutation',
  path: string,
  input: unknown,
  { token }: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const batch = input === undefined ? {} : { 0: input };
  const response =
    type === 'query'
      ? await request.get(`/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify(batch))}`, {
          headers,
        })
      : await request.post(`/trpc/${path}?batch=1`, { headers, data: batch });
  const [envelope] = (await response.json()) as Envelope[];
  if (!envelope) {
    throw new ApiError(path, response.status(), undefined, 'empty response');
  }
  if ('error' in envelope) {
    throw new ApiError(path, response.status(), envelope.error.data, envelope.error.message);
  }
  return envelope.result.data as T;
}

export function trpcQuery<T>(
  request: APIRequestContext,
  path: string,
  input?: unknown,
  options?: CallOptions,
) {
  return call<T>(request, 'query', path, input, options);
}

export function trpcMutation<T>(
  request: APIRequestContext,
  path: string,
  input?: unknown,
  options?: CallOptions,
) {
  return call<T>(request, 'mutation', path, input, options);
}
