import type { LiveEvent } from '@tradepool/domain';
import type { EventDispatcher, EventScope } from './dispatcher';

/**
 * An async iterator over a scope's events (replay first, then live) for tRPC subscriptions. Ends when `signal`
 * aborts: the client went away, the token expired or the session was revoked.
 */
export async function* streamEvents(
  dispatcher: EventDispatcher,
  scope: EventScope,
  afterId: number | null,
  signal: AbortSignal,
): AsyncGenerator<LiveEvent> {
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (event: LiveEvent) => {
    queue.push(event);
    wake?.();
  };
  const unsubscribe = await dispatcher.subscribe(scope, afterId, (events) => queue.push(...events), push);
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
