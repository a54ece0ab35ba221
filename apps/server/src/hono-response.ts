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

/** Adds to a header of the answer in place; Hono's `c.header()` would copy the whole Response to do it. */
export function appendHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.append(name, value);
  } catch {
    c.header(name, value, { append: true });
  }
}
