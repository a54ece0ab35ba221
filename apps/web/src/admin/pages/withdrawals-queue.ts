import type { RouterOutputs } from '@tradepool/api';
import { useEffect } from 'react';
import { trpc } from '../../lib/trpc';

export type Withdrawal = RouterOutputs['withdrawals']['list']['items'][number];
type Status = Withdrawal['status'];
export type Filter = 'open' | Status | 'all';

/** The status filter's choices, in the order the control shows them; "open" is the one without a search param. */
export const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'REQUESTED', label: 'Requested' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'PAID', label: 'Paid' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'CANCELLED', label: 'Cancelled' },
  { value: 'all', label: 'All' },
];

/** Other people's requests do not reach an admin's socket (user events are private): ask again this often. */
export const POLL_MS = 15_000;

export function isFilter(value: string | null): value is Filter {
  return FILTERS.some((filter) => filter.value === value);
}

/** Rows per request; the list is cursor-paged (it used to stop silently at 500). */
const PAGE = 200;

/** Fetches the next page as soon as one arrives, until the last (when `enabled`). */
function useFollowAll(
  query: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    isError: boolean;
    fetchNextPage: () => unknown;
  },
  enabled: boolean,
) {
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;
  useEffect(() => {
    if (enabled && hasNextPage && !isFetchingNextPage && !isError) {
      void fetchNextPage();
    }
  }, [enabled, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
}

/**
 * The queue for one filter. "Open" is REQUESTED and APPROVED: the list takes one status, so it is two queries,
 * merged oldest first (first come, first served). The open queue is work to do, so every page of it is loaded; the
 * other filters are history and load more on demand.
 */
export function useQueue(filter: Filter) {
  const nextPage = (page: { nextCursor: string | null }) => page.nextCursor ?? undefined;
  const requested = trpc.withdrawals.list.useInfiniteQuery(
    {
      all: true,
      limit: PAGE,
      status: filter === 'open' ? 'REQUESTED' : filter === 'all' ? undefined : filter,
    },
    { refetchInterval: POLL_MS, getNextPageParam: nextPage },
  );
  const approved = trpc.withdrawals.list.useInfiniteQuery(
    { all: true, limit: PAGE, status: 'APPROVED' },
    { refetchInterval: POLL_MS, enabled: filter === 'open', getNextPageParam: nextPage },
  );
  const parts = filter === 'open' ? [requested, approved] : [requested];
  const wantsAll = filter === 'open';
  useFollowAll(requested, wantsAll);
  useFollowAll(approved, wantsAll);
  const complete = parts.every((part) => part.data && (!wantsAll || !part.hasNextPage));
  const items = complete
    ? parts
        .flatMap((part) => part.data?.pages.flatMap((page) => page.items) ?? [])
        .sort((a, b) =>
          filter === 'open' ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt),
        )
    : undefined;
  return {
    items,
    isPending: parts.some((part) => part.isPending),
    error: parts.find((part) => part.error)?.error ?? null,
    isFetching: parts.some((part) => part.isFetching),
    refetch: () => Promise.all(parts.map((part) => part.refetch())),
    hasMore: !wantsAll && parts.some((part) => part.hasNextPage),
    loadingMore: parts.some((part) => part.isFetchingNextPage),
    loadMore: () => {
      for (const part of parts) {
        if (part.hasNextPage) {
          void part.fetchNextPage();
        }
      }
    },
  };
}
