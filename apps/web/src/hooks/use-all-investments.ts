import type { RouterOutputs } from '@tradepool/api';
import { useEffect, useMemo } from 'react';
import { trpc } from '../lib/trpc';

/** One of the signed-in user's investments, as `investments.list` answers it. */
export type Investment = RouterOutputs['investments']['list']['items'][number];

const PAGE = 200;

/**
 * Every investment of the signed-in user, following `investments.list`'s cursor page by page (the API pages it, at
 * most 200 a page). Totals and positions need all of them, so the next page is fetched as soon as one arrives;
 * `isPending` stays true until the last page is in. `utils.investments.list.invalidate()` refreshes it.
 */
export function useAllInvestments() {
  const query = trpc.investments.list.useInfiniteQuery(
    { limit: PAGE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
  const data = useMemo(
    () =>
      query.data && !hasNextPage ? { items: query.data.pages.flatMap((page) => page.items) } : undefined,
    [query.data, hasNextPage],
  );
  return {
    data,
    isPending: data === undefined && !isError,
    isError,
    error: query.error,
    isFetching: query.isFetching,
    refetch: query.refetch,
  };
}
