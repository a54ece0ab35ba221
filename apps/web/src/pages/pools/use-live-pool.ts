import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isAfter, isPoolSnapshot, usePoolLiveEvents } from '../../lib/pool-live';
import { type Pool, type PoolStatus, STATUS_META } from '../../lib/pools';
import { trpc } from '../../lib/trpc';

/**
 * The pool, live: status and field changes replace it (with a notification when the status moved, and the history
 * reloaded), the model's PnL updates its NAV and equity. What arrived live is kept beside the loaded pool, so a
 * refetch answered before an event cannot undo it: a snapshot wins unless the loaded pool was updated later.
 */
export function useLivePool(poolId: string) {
  const utils = trpc.useUtils();
  const query = trpc.pools.byId.useQuery({ id: poolId }, { enabled: poolId !== '' });
  const [snapshot, setSnapshot] = useState<{ eventId: string; pool: Pool } | null>(null);
  const [pnl, setPnl] = useState<{ eventId: string; equityCents: number; navPerShare: string } | null>(null);

  const pool = useMemo(() => {
    let current = query.data;
    if (snapshot && (!current || snapshot.pool.updatedAt >= current.updatedAt)) {
      current = snapshot.pool;
    }
    if (current && pnl && (!snapshot || isAfter(pnl.eventId, snapshot.eventId))) {
      current = { ...current, equityCents: pnl.equityCents, navPerShare: pnl.navPerShare };
    }
    return current;
  }, [query.data, snapshot, pnl]);

  const shownStatus = useRef<PoolStatus | null>(null);
  useEffect(() => {
    shownStatus.current = pool?.status ?? null;
  }, [pool?.status]);

  usePoolLiveEvents([poolId], {
    onEvent: (event) => {
      if (event.type === 'pool:update' && isPoolSnapshot(event.data)) {
        const next = event.data.pool;
        const from = shownStatus.current ?? event.data.previousStatus;
        shownStatus.current = next.status;
        setSnapshot({ eventId: event.id, pool: next });
        // Other readers of the pool (the money pages' invest panel) share the cache.
        utils.pools.byId.setData({ id: poolId }, next);
        if (from && from !== next.status) {
          notifications.show({
            id: `pool-status-${event.id}`,
            color: STATUS_META[next.status].color,
            title: `${next.name} is now ${STATUS_META[next.status].label.toLowerCase()}`,
            message: `${STATUS_META[from].label} → ${STATUS_META[next.status].label}. ${STATUS_META[next.status].description}`,
          });
          void utils.pools.history.invalidate({ id: poolId });
        }
      } else if (event.type === 'pnl:update') {
        const { equityCents, navPerShare } = event.data;
        setPnl({ eventId: event.id, equityCents, navPerShare });
        utils.pools.byId.setData({ id: poolId }, (old) => (old ? { ...old, equityCents, navPerShare } : old));
      }
    },
    onResync: () => {
      void query.refetch();
      void utils.pools.history.invalidate({ id: poolId });
    },
  });

  return { query, pool };
}
