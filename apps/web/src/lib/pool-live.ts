import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { PnlPoint, Pool, PoolPosition, PoolStatus, PoolTrade } from './pools';
import { type LiveEvent, socket } from './realtime';

/** `pool:update` carries either a changed pool (status or fields) or the trading model's free-form status. */
export type PoolUpdateData =
  | { pool: Pool; previousStatus?: PoolStatus }
  | { message?: string; metrics?: Record<string, unknown>; at?: string };

interface PoolEnvelope<Type extends string, Data> {
  id: string;
  type: Type;
  poolId: string;
  at: string;
  data: Data;
}

export type PoolLiveEvent =
  | PoolEnvelope<'pool:update', PoolUpdateData>
  | PoolEnvelope<'trade:executed', PoolTrade>
  | PoolEnvelope<'position:update', PoolPosition>
  | PoolEnvelope<'pnl:update', PnlPoint>;

type PoolEventType = PoolLiveEvent['type'];

const POOL_EVENT_TYPES: readonly PoolEventType[] = [
  'pool:update',
  'trade:executed',
  'position:update',
  'pnl:update',
];

export function isPoolSnapshot(data: PoolUpdateData): data is { pool: Pool; previousStatus?: PoolStatus } {
  return 'pool' in data && typeof data.pool === 'object' && data.pool !== null;
}

interface Watcher {
  onEvent: (event: PoolLiveEvent) => void;
  /** The room was joined without a last id to resume from: what is on screen may lack events from before the join. */
  onResync: () => void;
}

interface Entry {
  watchers: Set<Watcher>;
  /** The newest event id seen for this pool: replayed from on the next (re)subscription, and the dedupe floor. */
  lastId: string | null;
  /** In the pool's room on the current connection (the server acknowledged the subscription). */
  joined: boolean;
}

/**
 * One room subscription per pool for the whole app, however many components watch it: components come and go, the
 * socket keeps one `pool:subscribe` per pool, re-sent with the last event id after every reconnect (network loss,
 * server restart, token renewal), so the server replays exactly what was missed. Events are dropped when their id is
 * not above the last one seen, so a replay that overlaps what already arrived is never applied twice.
 *
 * A join without a last id (the first one, or a reconnect before any event arrived) cannot replay: the watchers
 * are asked to refetch instead, which closes the gap between their first query and the join.
 */
const entries = new Map<string, Entry>();
const joinListeners = new Set<() => void>();
let attached = false;

function notifyJoins(): void {
  for (const listener of joinListeners) {
    listener();
  }
}

/** Event ids are increasing integers as strings, possibly beyond 2^53: compare them as digit strings. */
export function isAfter(id: string, last: string | null): boolean {
  if (last === null) {
    return true;
  }
  if (id.length !== last.length) {
    return id.length > last.length;
  }
  return id > last;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;
/** The server's answer when more events were missed than it replays (CONTRACT §8). */
export const RESYNC_REQUIRED = 'RESYNC_REQUIRED';
const RETRY_MS = 3_000;

function join(poolId: string, entry: Entry): void {
  if (!socket.connected) {
    // The `connect` handler joins every watched pool as soon as the socket is up.
    return;
  }
  const lastEventId = entry.lastId ?? undefined;
  socket
    .timeout(SUBSCRIBE_TIMEOUT_MS)
    .emit('pool:subscribe', lastEventId ? { poolId, lastEventId } : { poolId }, (error, answer) => {
      if (entries.get(poolId) !== entry) {
        return;
      }
      // Too much was missed to replay (REPLAY_MAX_EVENTS): forget the position and join afresh without it. That join
      // asks the watchers to refetch the pool over tRPC (onResync below), which brings the state up to date.
      if (!error && !answer.ok && answer.error === RESYNC_REQUIRED) {
        entry.lastId = null;
        join(poolId, entry);
        return;
      }
      // A timeout or a server fault: try again while someone still watches. NOT_FOUND will not get better.
      if (error || (!answer.ok && !answer.error.startsWith('NOT_FOUND'))) {
        setTimeout(() => {
          if (entries.get(poolId) === entry && !entry.joined) {
            join(poolId, entry);
          }
        }, RETRY_MS);
        return;
      }
      if (!answer.ok) {
        return;
      }
      entry.joined = true;
      notifyJoins();
      if (!lastEventId) {
        for (const watcher of entry.watchers) {
          watcher.onResync();
        }
      }
    });
}

function route(type: PoolEventType, event: LiveEvent): void {
  const poolId = event.poolId;
  if (!poolId) {
    return;
  }
  const entry = entries.get(poolId);
  if (!entry || !isAfter(event.id, entry.lastId)) {
    return;
  }
  entry.lastId = event.id;
  const typed = { ...event, type, poolId } as PoolLiveEvent;
  for (const watcher of entry.watchers) {
    watcher.onEvent(typed);
  }
}

function attach(): void {
  if (attached) {
    return;
  }
  attached = true;
  socket.on('connect', () => {
    for (const [poolId, entry] of entries) {
      join(poolId, entry);
    }
  });
  socket.on('disconnect', () => {
    for (const entry of entries.values()) {
      entry.joined = false;
    }
    notifyJoins();
  });
  for (const type of POOL_EVENT_TYPES) {
    socket.on(type, (event) => route(type, event));
  }
}

/** Starts watching one pool's room; returns the function that stops. */
export function watchPool(poolId: string, watcher: Watcher): () => void {
  attach();
  let entry = entries.get(poolId);
  if (!entry) {
    entry = { watchers: new Set([watcher]), lastId: null, joined: false };
    entries.set(poolId, entry);
    join(poolId, entry);
  } else {
    entry.watchers.add(watcher);
  }
  const watched = entry;
  return () => {
    watched.watchers.delete(watcher);
    if (watched.watchers.size === 0 && entries.get(poolId) === watched) {
      entries.delete(poolId);
      notifyJoins();
      if (socket.connected) {
        socket.emit('pool:unsubscribe', { poolId });
      }
    }
  };
}

function subscribeJoins(listener: () => void): () => void {
  joinListeners.add(listener);
  return () => {
    joinListeners.delete(listener);
  };
}

/** Whether this page is in the pool's room right now: its live figures are current. */
export function usePoolJoined(poolId: string): boolean {
  return useSyncExternalStore(subscribeJoins, () => entries.get(poolId)?.joined ?? false);
}

interface PoolLiveHandlers {
  onEvent: (event: PoolLiveEvent) => void;
  /**
   * Refetch what the component shows of this pool: its room was joined without a way to replay, so events from
   * before the join may be missing. Calls for several pools joined at once arrive together, in one task.
   */
  onResync?: (poolId: string) => void;
}

/** Resyncs of many pools (a list page joining them all) within this window make one call. */
const RESYNC_BATCH_MS = 50;

/**
 * Live events of some pools while the component is mounted, each once and in order. Handlers may change between
 * renders without re-subscribing; the subscription follows the set of ids.
 */
export function usePoolLiveEvents(poolIds: readonly string[], handlers: PoolLiveHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const key = [...new Set(poolIds)].sort().join(',');
  useEffect(() => {
    if (!key) {
      return;
    }
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const ids = [...pending];
      pending.clear();
      for (const id of ids) {
        latest.current.onResync?.(id);
      }
    };
    const stops = key.split(',').map((poolId) =>
      watchPool(poolId, {
        onEvent: (event) => latest.current.onEvent(event),
        onResync: () => {
          pending.add(poolId);
          timer ??= setTimeout(flush, RESYNC_BATCH_MS);
        },
      }),
    );
    return () => {
      if (timer) {
        clearTimeout(timer);
      }
      for (const stop of stops) {
        stop();
      }
    };
  }, [key]);
}
