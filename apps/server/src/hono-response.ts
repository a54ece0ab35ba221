import type { Context } from 'hono';

// How an answer is changed once a handler has made it, without Hono copying it (see adoptResponse).

/**
 * Makes `response` the answer of `c`, first giving it the headers set on the answer so far (the request id, CORS and
 * the like: every one but Content-Type, and the earlier Set-Cookie ones instead of its own when there are any), as
 * Hono's `c.res = response` does, but without Hono's copy: Hono rebuilds the new Response around its body, which on
 * @hono/node-server turns a string answer into a web stream written chunk by chunk, and builds the full web Response
 * it was spared. A response whose headers cannot be changed goes through Hono's own assignment.
 */
export function adoptResponse(c: Context, response: Response): Response {
  const previous = c.res.headers;
  try {
    for (const [name, value] of previous) {
      if (name !== 'content-type' && name !== 'set-cookie') {
        response.headers.set(name, value);
      }
    }
    const cookies = previous.getSetCookie();
    if (cookies.length > 0) {
      response.headers.delete('set-cookie');
      for (const cookie of cookies) {
        response.headers.append('set-cookie', cookie);
      }
    }
  } catch {
    c.res = response;
    return c.res;
  }
  // Clearing first makes the assignment below take the response as it is (Hono copies only over an earlier one).
  c.res = undefined as unknown as Response;
  c.res = response;
  return response;
}

/** @hono/node-server's lightweight Response keeps `[status, body, headers]` under a symbol described as `cache`. */
let lightweightCache: symbol | undefined;

/** The body a lightweight Response was made with, if it was none, a string or bytes and is still unread. */
function lightweightBody(res: Response): string | Uint8Array | null | undefined {
  if (lightweightCache === undefined) {
    lightweightCache = Object.getOwnPropertySymbols(res).find((s) => s.description === 'cache');
  }
  const cache: unknown = lightweightCache === undefined ? undefined : Reflect.get(res, lightweightCache);
  if (!Array.isArray(cache) || cache.length !== 3) {
    return undefined;
  }
  const body: unknown = cache[1];
  return body === null || typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
}

/**
 * The whole body of an answer as bytes, null if it has none. A string or byte body of @hono/node-server's lightweight Response (what tRPC's
 * JSON answers are) is taken as it is; `arrayBuffer()` would first build the full web Response around it and read
 * the string back through a web stream. Any other answer is read the standard way.
 */
export async function readBody(res: Response): Promise<Buffer | null> {
  const body = lightweightBody(res);
  if (body === null) {
    return null;
  }
  if (typeof body === 'string') {
    return Buffer.from(body);
  }
  if (body !== undefined) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
  return res.body ? Buffer.from(await res.arrayBuffer()) : null;
}

/**
 * An answer's status text, without building the full web Response of a lightweight one for it: @hono/node-server
 * writes only the status code (Node adds its standard reason phrase), so a lightweight answer's is not asked for.
 */
export function statusTextOf(res: Response): string | undefined {
  return lightweightBody(res) === undefined ? res.statusText : undefined;
}

/** Adds to a header of the answer in place; Hono's `c.header()` would copy the whole Response to do it. */
export function appendHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.append(name, value);
  } catch {
    c.header(name, value, { append: true });
  }
}
