import type { PoolEventType } from '@tradepool/domain/events';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { isAfter, poolScope } from './live-store';
import type { PnlPoint, Pool, PoolPosition, PoolStatus, PoolTrade } from './pools';
import { liveStore } from './realtime';

export { isAfter };

/** `pool:update` carries either a changed pool (status or fields) or the trading model's free-form status. */
export type PoolUpdateData =
  | { pool: Pool; previousStatus?: PoolStatus }
  | { message?: string; metrics?: Record<string, unknown>; at?: string };

/**
 * The `data` of the pool events the SPA reads. The event types themselves come from domain (`POOL_EVENT_TYPES`): one
 * the SPA does not read yet arrives with `data: unknown` until it is given a shape here.
 */
interface PoolEventData {
  'pool:update': PoolUpdateData;
  'trade:executed': PoolTrade;
  'position:update': PoolPosition;
  'pnl:update': PnlPoint;
}

export type PoolLiveEvent = {
  [Type in PoolEventType]: {
    id: string;
    type: Type;
    poolId: string;
    at: string;
    data: Type extends keyof PoolEventData ? PoolEventData[Type] : unknown;
  };
}[PoolEventType];

export function isPoolSnapshot(data: PoolUpdateData): data is { pool: Pool; previousStatus?: PoolStatus } {
  return 'pool' in data && typeof data.pool === 'object' && data.pool !== null;
}

const subscribeStore = (listener: () => void) => liveStore.subscribe(listener);

/** Whether this page follows the pool live right now: its stream started (and has not been lost since). */
export function usePoolJoined(poolId: string): boolean {
  return useSyncExternalStore(subscribeStore, () => liveStore.stateOf(poolScope(poolId)) === 'live');
}

interface PoolLiveHandlers {
  onEvent: (event: PoolLiveEvent) => void;
  /**
   * Refetch what the component shows of this pool: its stream started without a way to replay, so events from
   * before may be missing. Calls for several pools started at once arrive together, in one task.
   */
  onResync?: (poolId: string) => void;
}

/** Resyncs of many pools (a list page watching them all) within this window make one call. */
const RESYNC_BATCH_MS = 50;

/**
 * Live events of some pools while the component is mounted, each once and in order (lib/live-store.ts: one stream per
 * pool for the whole app, resumed by id across reconnects and transport switches). Handlers may change between
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
      liveStore.watch(poolScope(poolId), {
        onEvent: (event) => latest.current.onEvent({ ...event, poolId } as PoolLiveEvent),
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
