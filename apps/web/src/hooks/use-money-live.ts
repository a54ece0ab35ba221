import { useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '@tradepool/api';
import { getQueryKey } from '@trpc/react-query';
import { useAuth } from '../auth/auth-provider';
import { isPoolSnapshot, usePoolLiveEvents } from '../lib/pool-live';
import type { Pool } from '../lib/pools';
import { type LiveEvent, useRealtimeEvent, useRealtimeStatus } from '../lib/realtime';
import { trpc } from '../lib/trpc';
import type { Investment } from './use-all-investments';

type Wallet = RouterOutputs['wallet']['get'];

/** `pnl:update` data (CONTRACT.md §5): the pool's new equity and NAV per share. */
export interface PnlUpdate {
  equityCents: number;
  navPerShare: string;
  realizedPnlCents?: number;
  unrealizedPnlCents?: number;
  at?: string;
}

function isPnlUpdate(data: unknown): data is PnlUpdate {
  const value = data as Partial<PnlUpdate> | null;
  return typeof value?.equityCents === 'number' && typeof value.navPerShare === 'string';
}

/**
 * Keeps the person's own money in step with the server: their wallet, investments, withdrawals and subscription
 * change on `user_<id>` events (their own only). Mounted by every view that shows one of these; several at once only
 * coalesce into the same refetches.
 */
export function useMoneyLive(): void {
  const utils = trpc.useUtils();
  const { user, updateUser } = useAuth();

  useRealtimeEvent('wallet:update', (event: LiveEvent) => {
    const data = event.data as Partial<Wallet>;
    if (typeof data.balanceCents === 'number' && typeof data.heldCents === 'number') {
      utils.wallet.get.setData(undefined, { balanceCents: data.balanceCents, heldCents: data.heldCents });
    } else {
      void utils.wallet.get.invalidate();
    }
    void utils.wallet.history.invalidate();
  });

  useRealtimeEvent('investment:update', (event: LiveEvent) => {
    const investment = (event.data as { investment?: Partial<Investment> }).investment;
    void utils.investments.list.invalidate();
    if (investment?.poolId) {
      void utils.pools.byId.invalidate({ id: investment.poolId });
    }
  });

  useRealtimeEvent('withdrawal:update', () => {
    void utils.withdrawals.list.invalidate();
  });

  useRealtimeEvent('subscription:update', (event: LiveEvent) => {
    const data = event.data as { subscriptionExpiresAt?: string | null; isSubscriptionActive?: boolean };
    void utils.subscription.status.invalidate();
    if (user && typeof data.isSubscriptionActive === 'boolean') {
      updateUser({
        ...user,
        subscriptionExpiresAt: data.subscriptionExpiresAt ?? null,
        isSubscriptionActive: data.isSubscriptionActive,
      });
    }
  });
}

export interface PoolsLive {
  /** Connected and watching every pool: what is shown follows the pools live. */
  live: boolean;
}

/**
 * Watches these pools' live rooms while mounted (through lib/pool-live.ts, which shares one room per pool across the
 * app and resumes after reconnects) and folds their `pnl:update` and `pool:update` events into the `pools.byId` and
 * `pools.list({})` caches, so every figure computed from a pool's NAV moves with it.
 */
export function usePoolsLive(poolIds: readonly string[]): PoolsLive {
  const utils = trpc.useUtils();
  const status = useRealtimeStatus();

  const queryClient = useQueryClient();
  const patchPool = (poolId: string, change: Partial<Pool>) => {
    // A read still in flight may have been answered before this event's commit; landing after the patch, it would put
    // the older NAV back until the next event. So a query being fetched is fetched again once patched (the read in
    // flight is cancelled): what lands last was read after the event.
    const refetchById =
      queryClient.isFetching({ queryKey: getQueryKey(trpc.pools.byId, { id: poolId }) }) > 0;
    const refetchList = queryClient.isFetching({ queryKey: getQueryKey(trpc.pools.list, {}) }) > 0;
    utils.pools.byId.setData({ id: poolId }, (pool) => (pool ? { ...pool, ...change } : pool));
    utils.pools.list.setData({}, (list) =>
      list ? { items: list.items.map((pool) => (pool.id === poolId ? { ...pool, ...change } : pool)) } : list,
    );
    if (refetchById) {
      void utils.pools.byId.invalidate({ id: poolId });
    }
    if (refetchList) {
      void utils.pools.list.invalidate({});
    }
  };

  usePoolLiveEvents(poolIds, {
    onEvent: (event) => {
      if (event.type === 'pnl:update' && isPnlUpdate(event.data)) {
        const data: PnlUpdate = event.data;
        patchPool(event.poolId, { equityCents: data.equityCents, navPerShare: data.navPerShare });
      } else if (event.type === 'pool:update' && isPoolSnapshot(event.data)) {
        patchPool(event.poolId, event.data.pool);
        // A status change (closed, settled, cancelled) changes what the investments say too.
        void utils.investments.list.invalidate();
      }
    },
    onResync: (poolId) => {
      void utils.pools.byId.invalidate({ id: poolId });
      void utils.pools.list.invalidate({});
    },
  });

  return { live: poolIds.length > 0 && status === 'connected' };
}
