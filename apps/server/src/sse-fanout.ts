import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { assertReplayAllowed, type EventDispatcher, EventStream } from '@tradepool/api/server';
import type { LiveEvent } from '@tradepool/domain';
import type { AnyTRPCRouter, TRPCError } from '@trpc/server';
import {
  getErrorShape,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  isAbortError,
  isTrackedEnvelope,
  sseHeaders,
} from '@trpc/server/unstable-core-do-not-import';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

/**
 * Unwritten bytes a stream may hold for a client that does not read (about 10,000 events): past this the connection
 * is cut, and the client's EventSource reconnects with `Last-Event-ID` and resumes by id.
 */
const MAX_UNWRITTEN_BYTES = 4 * 1024 * 1024;

/**
 * One SSE message as @trpc/server's `sseStreamProducer` writes it (fields in its order, then a blank line and one
 * more newline), so @trpc/client's httpSubscriptionLink and EventSource read these frames exactly as tRPC's own.
 */
export function sseFrame(message: { event?: string; data: string; id?: string }): string {
  const event = message.event === undefined ? '' : `event: ${message.event}\n`;
  const id = message.id === undefined ? '' : `id: ${message.id}\n`;
  return `${event}data: ${message.data}\n${id}\n\n`;
}

const PING = Buffer.from(sseFrame({ event: 'ping', data: '' }));
const RETURN = Buffer.from(sseFrame({ event: 'return', data: '' }));

interface TrpcConfig {
  transformer: {
    input: { deserialize(value: unknown): unknown };
    output: { serialize(value: unknown): unknown };
  };
  sse?: { ping?: { enabled: boolean; intervalMs?: number }; client?: Record<string, unknown> };
}

/** Resolves once the response has flushed what it holds (or closed): a replay sends its next page only then. */
function drained(res: ServerResponse): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Live events to SSE subscribers, serialised once per event: the dispatcher hands each event to this sink, which
 * encodes one frame and writes the same bytes to every open response of the event's scope (a pool's watchers, or the
 * one user whose money changed), the way socket.io broadcasts to a room. A subscriber is added to its scope only
 * after its replay, in the dispatcher's synchronous `join` (see `EventDispatcher.catchUp`), so it gets every event
 * after its `lastEventId` once, in order. One timer pings every open stream.
 */
export class SseFanout {
  readonly #scopes = new Map<string, Set<ServerResponse>>();
  readonly #open = new Set<ServerResponse>();
  readonly #serialize: (value: unknown) => unknown;
  readonly #pingMs: number | null;
  #ping: NodeJS.Timeout | null = null;

  constructor(events: EventDispatcher, config: TrpcConfig) {
    this.#serialize = (value) => config.transformer.output.serialize(value);
    const ping = config.sse?.ping;
    // tRPC's default interval when pings are on without one.
    this.#pingMs = ping?.enabled ? (ping.intervalMs ?? 1000) : null;
    events.addSink({
      deliver: (event, audience) => {
        // A user's own event never goes to a pool's stream, even if it names the pool (as for socket.io rooms).
        if (audience.poolId && !audience.userId) {
          this.#broadcast(`pool:${audience.poolId}`, event);
        }
        if (audience.userId) {
          this.#broadcast(`user:${audience.userId}`, event);
        }
      },
    });
  }

  /** Open SSE responses (replaying or live). */
  get size(): number {
    return this.#open.size;
  }

  /** The frame of one event: `data` is the event as tRPC serialises it, `id` its id (tRPC's `tracked`). */
  encode(event: LiveEvent): Buffer {
    return Buffer.from(sseFrame({ data: JSON.stringify(this.#serialize(event)), id: event.id }));
  }

  #broadcast(key: string, event: LiveEvent): void {
    const subscribers = this.#scopes.get(key);
    if (!subscribers || subscribers.size === 0) {
      return;
    }
    const frame = this.encode(event);
    // The frame as one HTTP chunk, built once: node's `res.write` would add the chunk's size line and CRLF as three
    // more writes (and a string) per subscriber per event.
    const chunk = Buffer.concat([Buffer.from(`${frame.length.toString(16)}\r\n`, 'latin1'), frame, CRLF]);
    for (const res of subscribers) {
      writeShared(res, frame, chunk, this.#corked);
    }
    if (this.#corked.length > 0 && !this.#uncorkQueued) {
      this.#uncorkQueued = true;
      process.nextTick(this.#uncork);
    }
  }

  /** Connections corked by `#broadcast` this tick: what a batch of events wrote leaves in one write each. */
  readonly #corked: Socket[] = [];
  #uncorkQueued = false;
  readonly #uncork = () => {
    this.#uncorkQueued = false;
    for (const socket of this.#corked.splice(0)) {
      socket.uncork();
    }
  };

  /** Counts a response as open (for pings) until it closes. */
  track(res: ServerResponse): void {
    this.#open.add(res);
    res.once('close', () => {
      this.#open.delete(res);
      if (this.#open.size === 0 && this.#ping) {
        clearInterval(this.#ping);
        this.#ping = null;
      }
    });
    if (!this.#ping && this.#pingMs) {
      this.#ping = setInterval(() => {
        for (const open of this.#open) {
          write(open, PING);
        }
      }, this.#pingMs);
      this.#ping.unref();
    }
  }

  /**
   * Serves an event stream on `res` (its head and `connected` frame already written): the replay after its
   * `lastEventId`, page by page as fast as this client takes it, then live frames shared with every subscriber of the
   * scope. Resolves when the stream ends (`return` written unless the client left); throws RESYNC_REQUIRED before
   * anything is written when the replay would be too long.
   */
  async serve(res: ServerResponse, stream: EventStream): Promise<void> {
    const stop = stream.open();
    const { dispatcher, scope, afterId } = stream;
    await assertReplayAllowed(dispatcher, scope, afterId);
    const key = 'poolId' in scope ? `pool:${scope.poolId}` : `user:${scope.userId}`;
    let joined: Set<ServerResponse> | null = null;
    try {
      await dispatcher.catchUp(scope, afterId, {
        // Each frame waits for the client to take the one before (past the socket's high-water mark): a page of
        // large events could otherwise be more than MAX_UNWRITTEN_BYTES at once and cut a client that reads, so it
        // could never resume.
        page: async (events) => {
          for (const event of events) {
            write(res, this.encode(event));
            await drained(res);
          }
        },
        emit: (event) => write(res, this.encode(event)),
        join: () => {
          joined = this.#scopes.get(key) ?? new Set();
          this.#scopes.set(key, joined);
          joined.add(res);
        },
        signal: stop,
      });
      if (!stop.aborted) {
        await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
      }
    } finally {
      const subscribers = joined as Set<ServerResponse> | null;
      if (subscribers) {
        subscribers.delete(res);
        if (subscribers.size === 0 && this.#scopes.get(key) === subscribers) {
          this.#scopes.delete(key);
        }
      }
    }
    if (!res.destroyed) {
      res.end(RETURN);
    }
  }
}

const CRLF = Buffer.from('\r\n');

/**
 * Writes a live frame shared by every subscriber: straight to the connection as the prepared chunk when the response
 * is chunked and holds nothing of its own (what `res.write` would send, in one write), corking the connection until
 * the next tick (the caller uncorks what it collects in `corked`); else through `write`.
 */
function writeShared(res: ServerResponse, frame: Buffer, chunk: Buffer, corked: Socket[]): void {
  const socket = res.socket;
  // `_headerSent` (the head is on the connection, not just built) and `outputSize` (head or chunks the response keeps
  // itself while it has no writable connection) are not in node's types: both are so after the `connected` frame.
  const state = res as ServerResponse & { _headerSent?: boolean; outputSize?: number };
  if (
    !socket ||
    state._headerSent !== true ||
    state.outputSize !== 0 ||
    !(res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding ||
    res.destroyed ||
    res.writableEnded
  ) {
    write(res, frame);
    return;
  }
  if (res.writableLength > MAX_UNWRITTEN_BYTES) {
    res.destroy();
    return;
  }
  if (socket.writableCorked === 0) {
    socket.cork();
    corked.push(socket);
  }
  socket.write(chunk);
}

/** Writes a frame, or cuts a client that has stopped reading (it resumes by id when it reconnects). */
function write(res: ServerResponse, frame: Buffer): void {
  if (res.destroyed || res.writableEnded) {
    return;
  }
  if (res.writableLength > MAX_UNWRITTEN_BYTES) {
    res.destroy();
    return;
  }
  res.write(frame);
}

/** A subscription that is not an `EventStream`: its own iterator, one frame per value, as tRPC serves it. */
async function serveIterable(
  res: ServerResponse,
  iterable: AsyncIterable<unknown>,
  serialize: (value: unknown) => unknown,
  gone: AbortSignal,
): Promise<void> {
  const iterator = iterable[Symbol.asyncIterator]();
  const onGone = () => void iterator.return?.();
  gone.addEventListener('abort', onGone, { once: true });
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done || gone.aborted) {
        break;
      }
      const value: unknown = next.value;
      const message = isTrackedEnvelope(value)
        ? { id: String(value[0]), data: JSON.stringify(serialize(value[1])) }
        : { data: JSON.stringify(serialize(value)) };
      write(res, Buffer.from(sseFrame(message)));
      await drained(res);
    }
  } finally {
    gone.removeEventListener('abort', onGone);
  }
  if (!res.destroyed) {
    res.end(RETURN);
  }
}

export interface SseRouteDeps {
  router: AnyTRPCRouter;
  events: EventDispatcher;
  log: Logger;
  /** The procedure context, built as for any tRPC call (the access cookie authenticates an event stream). */
  createContext: (c: Context, resHeaders: Headers) => Promise<unknown>;
  onError: (c: Context, error: TRPCError, path: string) => void;
}

/**
 * Serves tRPC subscriptions (`GET /trpc/<path>` of a subscription procedure) on the node response, instead of tRPC's
 * per-subscriber async generator and web-stream pipeline: the procedure runs through its middlewares as usual, and
 * the `EventStream` it returns joins the shared fan-out. Frames, headers and error events are tRPC's own, so
 * httpSubscriptionLink (and `Last-Event-ID` resumes) work unchanged. Anything else (no node response, a batch, not a
 * subscription, input that is not JSON) goes on to tRPC's handler.
 */
export function sseSubscriptions(deps: SseRouteDeps): MiddlewareHandler {
  const config = deps.router._def._config as unknown as TrpcConfig;
  const serialize = (value: unknown) => config.transformer.output.serialize(value);
  const fanout = new SseFanout(deps.events, config);
  const connected = Buffer.from(
    sseFrame({ event: 'connected', data: JSON.stringify(config.sse?.client ?? {}) }),
  );
  return async (c, next) => {
    const res = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    if (!res || c.req.method !== 'GET' || c.req.query('batch') !== undefined) {
      return next();
    }
    const path = decodeURIComponent(c.req.path.slice('/trpc/'.length));
    const procedure = await getProcedureAtPath(deps.router, path);
    if (procedure?._def.type !== 'subscription') {
      return next();
    }
    let input: unknown;
    try {
      const raw = c.req.query('input');
      input = raw === undefined ? undefined : config.transformer.input.deserialize(JSON.parse(raw));
    } catch {
      return next();
    }
    // As tRPC does: a reconnecting EventSource sends the last id it saw, which becomes the input's `lastEventId`.
    const lastEventId =
      c.req.header('last-event-id') ?? c.req.query('lastEventId') ?? c.req.query('Last-Event-Id');
    if (lastEventId) {
      input =
        input !== null && typeof input === 'object' && !Array.isArray(input)
          ? { ...input, lastEventId }
          : (input ?? { lastEventId });
    }
    const resHeaders = new Headers();
    const ctx = await deps.createContext(c, resHeaders);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const serve = async () => {
      try {
        const result: unknown = await procedure({
          ctx,
          path,
          getRawInput: async () => input,
          type: 'subscription',
          signal: gone.signal,
          batchIndex: 0,
        });
        if (result instanceof EventStream) {
          await fanout.serve(res, result);
        } else {
          await serveIterable(res, result as AsyncIterable<unknown>, serialize, gone.signal);
        }
      } catch (cause) {
        if (gone.signal.aborted || isAbortError(cause) || res.destroyed) {
          return;
        }
        const error = getTRPCErrorFromUnknown(cause);
        deps.onError(c, error, path);
        const shape = getErrorShape({
          config: deps.router._def._config,
          ctx,
          error,
          input,
          path,
          type: 'subscription',
        });
        res.end(sseFrame({ event: 'serialized-error', data: JSON.stringify(serialize(shape)) }));
      }
    };
    // The head goes out once the app's middleware is done with this request: secureHeaders, like any middleware that
    // decorates an answer after its handler, sets its headers on the answer returned below, which is complete only
    // when the chain has unwound (each step after `next()` is synchronous, so by the next turn of the event loop).
    setImmediate(() => {
      if (res.destroyed) {
        return;
      }
      res.writeHead(200, streamHead(c.res.headers, resHeaders));
      res.write(connected);
      fanout.track(res);
      serve().catch((error: unknown) => {
        deps.log.error({ err: error, path }, 'event stream failed');
        res.destroy();
      });
    });
    // The answer goes out on the node response (above); this tells @hono/node-server to leave it alone.
    return new Response(null, { headers: { [ALREADY_SENT]: 'true' } });
  };
}

const ALREADY_SENT = 'x-hono-already-sent';

/**
 * The head of an event stream: every header the app's middleware put on the answer (CORS, request id, security
 * headers) and the procedure's own (cookies), then tRPC's SSE headers.
 */
function streamHead(answer: Headers, procedure: Headers): Record<string, string | string[]> {
  const head: Record<string, string | string[]> = {};
  for (const headers of [answer, procedure]) {
    headers.forEach((value, name) => {
      if (name !== 'content-type' && name !== 'set-cookie' && name !== ALREADY_SENT) {
        head[name] = value;
      }
    });
    const cookies = headers.getSetCookie();
    if (cookies.length > 0) {
      head['set-cookie'] = [...((head['set-cookie'] as string[] | undefined) ?? []), ...cookies];
    }
  }
  for (const [name, value] of Object.entries(sseHeaders)) {
    head[name.toLowerCase()] = value;
  }
  return head;
}
