import { AppError, type LiveEvent } from '@tradepool/domain';
import { type TrackedEnvelope, tracked } from '@trpc/server';
import { streamRefusal } from '../../trpc-errors';
import type { EventDispatcher, EventScope } from './dispatcher';

/** Events a stream may hold for a client that does not read them: past this it ends and the client resumes by id. */
const MAX_QUEUED = 10_000;

/** RESYNC_REQUIRED for streams: the same refusal as `pool:subscribe`'s ack, as an error the client can branch on. */
export function resyncRequired(max: number): AppError {
  return new AppError(
    'CONFLICT',
    `RESYNC_REQUIRED: more than ${max} events since lastEventId; reload the state and subscribe without lastEventId`,
    { details: { error: 'RESYNC_REQUIRED' } },
  );
}

/** RESYNC_REQUIRED, thrown as a stream refusal, when replaying everything after `afterId` is more than allowed. */
export async function assertReplayAllowed(
  dispatcher: EventDispatcher,
  scope: EventScope,
  afterId: number | null,
): Promise<void> {
  if (!(await dispatcher.replayAllowed(scope, afterId))) {
    // Thrown inside the stream, after tRPC's middlewares ran: a TRPCError keeps its code there (a bare AppError would
    // become INTERNAL_SERVER_ERROR, which the client retries forever instead of resyncing).
    streamRefusal(resyncRequired(dispatcher.replayMaxEvents));
  }
}

/**
 * What an event subscription procedure returns: which events (a scope, after an id) and when the stream must end,
 * rather than a generator per subscriber. The server's SSE fan-out recognises it, replays it for this one client and
 * then writes each live event, serialised once, to every subscriber of the scope. Anything else that consumes the
 * procedure (a caller in tests, tRPC's own handler) iterates it: the same events as `tracked(id, event)`, replay first.
 */
export class EventStream implements AsyncIterable<TrackedEnvelope<LiveEvent>, void> {
  constructor(
    readonly dispatcher: EventDispatcher,
    readonly scope: EventScope,
    readonly afterId: number | null,
    /**
     * Called once when the stream starts: a signal that aborts when it must end (the client went away, the token
     * expired, the session was revoked).
     */
    readonly open: () => AbortSignal,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<TrackedEnvelope<LiveEvent>, void> {
    for await (const event of streamEvents(this.dispatcher, this.scope, this.afterId, this.open())) {
      yield tracked(event.id, event);
    }
  }
}

/**
 * An async iterator over a scope's events (replay first, then live) for tRPC subscriptions. Ends when `signal`
 * aborts: the client went away, the token expired or the session was revoked. A replay longer than
 * REPLAY_MAX_EVENTS throws RESYNC_REQUIRED before anything is sent; the replay is read page by page only as fast as
 * the client takes it, outside the dispatcher's lock.
 */
export async function* streamEvents(
  dispatcher: EventDispatcher,
  scope: EventScope,
  afterId: number | null,
  signal: AbortSignal,
): AsyncGenerator<LiveEvent> {
  await assertReplayAllowed(dispatcher, scope, afterId);
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  let drained: (() => void) | null = null;
  let overflowed = false;
  // Aborts with the caller's signal, and when the consumer stops iterating: a replay in progress then ends too.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  stop.signal.addEventListener('abort', () => {
    wake?.();
    drained?.();
  });
  if (signal.aborted) {
    stop.abort();
  }
  signal.addEventListener('abort', onAbort);
  const push = (event: LiveEvent) => {
    if (queue.length >= MAX_QUEUED) {
      overflowed = true;
    } else {
      queue.push(event);
    }
    wake?.();
  };
  // Each replayed page waits until the consumer has taken the previous one.
  const page = async (events: LiveEvent[]) => {
    queue.push(...events);
    wake?.();
    while (queue.length > 0 && !stop.signal.aborted) {
      await new Promise<void>((resolve) => {
        drained = resolve;
      });
      drained = null;
    }
  };
  let unsubscribe: (() => void) | null = null;
  const subscribed = dispatcher.subscribe(scope, afterId, page, push, stop.signal).then((off) => {
    unsubscribe = off;
    wake?.();
  });
  let failure: unknown = null;
  subscribed.catch((error: unknown) => {
    failure = error;
    wake?.();
  });
  try {
    while (!stop.signal.aborted && !overflowed) {
      if (failure) {
        throw failure;
      }
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      (drained as (() => void) | null)?.();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    await subscribed.catch(() => undefined);
    (unsubscribe as (() => void) | null)?.();
  }
}
