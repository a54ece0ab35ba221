import { Box, Skeleton } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyMessage, type ListEmpty } from '../../components/list-state';
import { QueryErrorAlert, queryErrorProps } from '../../components/query-error-alert';

/**
 * What a feed card of the pool page (positions, trades) shows under its title: the error with a retry until a first
 * answer came, a placeholder while it is on its way, the empty message when there is nothing, else the rows. Rows
 * already shown stay when a later refetch fails.
 */
export function PoolFeedState({
  query,
  errorTitle,
  skeletonHeight,
  isEmpty,
  empty,
  children,
}: {
  query: {
    data: unknown;
    error: unknown;
    isError: boolean;
    isPending: boolean;
    isFetching: boolean;
    refetch: () => unknown;
  };
  errorTitle: string;
  skeletonHeight: number;
  isEmpty: boolean;
  empty: ListEmpty;
  children: ReactNode;
}) {
  if (query.isError && !query.data) {
    return (
      <Box px="lg" pb="lg">
        <QueryErrorAlert title={errorTitle} {...queryErrorProps(query)} />
      </Box>
    );
  }
  if (query.isPending) {
    return (
      <Box px="lg" pb="lg">
        <Skeleton h={skeletonHeight} />
      </Box>
    );
  }
  if (isEmpty) {
    return <EmptyMessage py={32} px="md" iconSize={26} {...empty} />;
  }
  return children;
}
