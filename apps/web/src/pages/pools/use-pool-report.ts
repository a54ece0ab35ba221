import { useMemo, useState } from 'react';
import { usePoolLiveEvents } from '../../lib/pool-live';
import type { PnlPoint, Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';

/**
 * The model's latest PnL report for a pool: loaded once, then replaced by each `pnl:update`. The pool page reads its
 * realized and unrealized PnL from here only, so the chart's summary and the positions card show the same figures
 * (the pool's equity and NAV come from the same reports, through the pool itself).
 */
export function usePoolReport(pool: Pick<Pool, 'id'>): { report: PnlPoint | null; isPending: boolean } {
  // The server always includes the newest report however it thins the series; 10 is its smallest page.
  const latest = trpc.pools.pnl.useQuery({ id: pool.id, points: 10 });
  const [live, setLive] = useState<PnlPoint | null>(null);

  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      if (event.type === 'pnl:update') {
        const { at, equityCents, navPerShare, realizedPnlCents, unrealizedPnlCents } = event.data;
        setLive((current) =>
          current && current.at > at
            ? current
            : { at, equityCents, navPerShare, realizedPnlCents, unrealizedPnlCents },
        );
      }
    },
    onResync: () => {
      void latest.refetch();
    },
  });

  const report = useMemo(() => {
    const loaded = latest.data?.at(-1) ?? null;
    if (live && (!loaded || live.at >= loaded.at)) {
      return live;
    }
    return loaded;
  }, [latest.data, live]);

  return { report, isPending: latest.isPending };
}
