import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { isAfter, isPoolSnapshot, usePoolLiveEvents } from '../lib/pool-live';
import type { Pool, PoolListInput } from '../lib/pools';
import { trpc } from '../lib/trpc';

/** New pools reach investors by polling: only their own rooms tell them about pools they already see. */
const POLL_MS = 60_000;

interface LiveOverlay {
  snapshot?: { eventId: string; pool: Pool };
  pnl?: { eventId: string; equityCents: number; navPerShare: string };
}

function overlay(pool: Pool, live: LiveOverlay | undefined): Pool {
  if (!live) {
    return pool;
  }
  let current = pool;
  if (live.snapshot && live.snapshot.pool.updatedAt >= current.updatedAt) {
    current = live.snapshot.pool;
  }
  if (live.pnl && (!live.snapshot || isAfter(live.pnl.eventId, live.snapshot.eventId))) {
    current = { ...current, equityCents: live.pnl.equityCents, navPerShare: live.pnl.navPerShare };
  }
  return current;
}

/**
 * `pools.list`, kept live: the listed pools' rooms are watched, so status and field changes and the model's NAV reach
 * the list in place. What arrived live is laid over the loaded list (a refetch answered before an event cannot undo
 * it); a pool that no longer matches the status filter leaves the list, which reloads.
 */
export function useLivePoolList(input: PoolListInput) {
  const utils = trpc.useUtils();
  const query = trpc.pools.list.useQuery(input, {
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
  const [live, setLive] = useState<Record<string, LiveOverlay>>({});
  const ids = query.data?.items.map((pool) => pool.id) ?? [];
  const refetchQueued = useRef(false);
  const statuses = input.status && input.status.length > 0 ? input.status : null;

  usePoolLiveEvents(ids, {
    onEvent: (event) => {
      if (event.type === 'pool:update' && isPoolSnapshot(event.data)) {
        const next = event.data.pool;
        setLive((map) => ({
          ...map,
          [next.id]: { ...map[next.id], snapshot: { eventId: event.id, pool: next } },
        }));
        if (statuses && !statuses.includes(next.status)) {
          void utils.pools.list.invalidate(input);
        }
      } else if (event.type === 'pnl:update') {
        const { equityCents, navPerShare } = event.data;
        setLive((map) => ({
          ...map,
          [event.poolId]: { ...map[event.poolId], pnl: { eventId: event.id, equityCents, navPerShare } },
        }));
      }
    },
    // One refetch however many of the listed pools were (re)joined at once.
    onResync: () => {
      if (!refetchQueued.current) {
        refetchQueued.current = true;
        queueMicrotask(() => {
          refetchQueued.current = false;
          void query.refetch();
        });
      }
    },
  });

  const data = useMemo(() => {
    if (!query.data) {
      return query.data;
    }
    const items = query.data.items
      .map((pool) => overlay(pool, live[pool.id]))
      .filter((pool) => !statuses || statuses.includes(pool.status));
    return { items };
  }, [query.data, live, statuses]);

  return { ...query, data };
}
