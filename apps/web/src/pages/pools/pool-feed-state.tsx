import { Box, Group, type MantineSpacing, Skeleton, Stack, Text, type TextProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyMessage, type ListEmpty } from '../../components/list-state';
import { QueryErrorAlert, queryErrorProps } from '../../components/query-error-alert';
import classes from './pool-page.module.css';

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

/**
 * One row of a feed card on a phone, instead of a table that would scroll sideways: what it is (`title`, on one line)
 * over `subtitle` on the left, `figure` over `figureDetail` on the right. Rows flash while `flash` is on.
 */
export function FeedRow({
  title,
  subtitle,
  figure,
  figureStyle,
  figureDetail,
  gap,
  flash = false,
  'data-testid': testId,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  figure: ReactNode;
  /** The figure's weight and colour, where it stands out. */
  figureStyle?: Pick<TextProps, 'fw' | 'c'>;
  figureDetail: ReactNode;
  gap?: MantineSpacing;
  flash?: boolean;
  'data-testid'?: string;
}) {
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      gap={gap}
      px="md"
      py={8}
      className={flash ? `${classes.feedItem} ${classes.flash}` : classes.feedItem}
      data-testid={testId}
    >
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          {title}
        </Group>
        <Text size="xs" c="dimmed" className={classes.numeric}>
          {subtitle}
        </Text>
      </Stack>
      <Stack gap={2} align="flex-end">
        <Text size="sm" className={classes.numeric} {...figureStyle}>
          {figure}
        </Text>
        <Text size="xs" c="dimmed" className={classes.numeric}>
          {figureDetail}
        </Text>
      </Stack>
    </Group>
  );
}
