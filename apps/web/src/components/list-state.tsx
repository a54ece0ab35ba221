import {
  Box,
  Button,
  Card,
  EmptyState,
  Group,
  Pagination,
  Skeleton,
  Table,
  type TableProps,
  Text,
} from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { QueryErrorAlert } from './query-error-alert';

/** What the list needs from its query: any react-query result (plain or infinite) fits. */
export interface ListQuery {
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

export interface ListEmpty {
  icon: Icon;
  title: ReactNode;
  description: ReactNode;
  /** Buttons under the message ("Clear filters", "New pool"). */
  action?: ReactNode;
  /** Vertical padding; 48 unless the card is a small one. */
  py?: number;
  'data-testid'?: string;
}

/**
 * What stands where there is nothing to show (a list, a search, a pool that is gone): the icon, what is missing and
 * what to do about it. `px` pads it inside a card that has none of its own; the icon is 28 px unless a small card
 * wants it smaller.
 */
export function EmptyMessage({
  icon: EmptyIcon,
  title,
  description,
  action,
  py = 48,
  px,
  iconSize = 28,
  'data-testid': testId,
}: ListEmpty & { px?: 'md'; iconSize?: number }) {
  return (
    <EmptyState
      py={py}
      px={px}
      icon={<EmptyIcon size={iconSize} stroke={1.5} />}
      title={title}
      description={description}
      data-testid={testId}
    >
      {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
    </EmptyState>
  );
}

/** The empty message as a page's whole content, in a card of its own. */
export function EmptyCard(props: ListEmpty & { iconSize?: number }) {
  return (
    <Card>
      <EmptyMessage {...props} />
    </Card>
  );
}

/** "Load more" under a cursor-paged list (react-query's infinite query). */
export interface LoadMorePager {
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => unknown;
  label?: string;
  variant?: 'default' | 'light' | 'subtle';
  size?: 'xs' | 'sm';
  'data-testid'?: string;
  /** Left of the button: "12 entries shown". */
  summary?: ReactNode;
}

/** Numbered pages, for a list whose total is known. */
export interface NumberedPager {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  summary?: ReactNode;
}

/** Only a line under the list ("12 pools"), when it is all there is. */
export interface SummaryOnly {
  summary: ReactNode;
}

export type ListPagerProps = (LoadMorePager | NumberedPager | SummaryOnly) & {
  /** Inside a padded card: a small gap above instead of padding around. */
  bare?: boolean;
};

export interface ListTable {
  /** The header cells (`<Table.Th>`s); the row around them is the component's. */
  head: ReactNode;
  /** How many columns, for the placeholder rows while loading. */
  columns: number;
  minWidth: number;
  /** Extra props for the `<Table>`: `data-testid`, `highlightOnHover`, `aria-busy`, `style`. */
  props?: Partial<TableProps> & { 'data-testid'?: string };
  /**
   * Placeholder rows while loading, one bar per column (`columns` of them, so they stand under the header), the
   * first column's of its own size; by default three full-width skeleton bars.
   */
  placeholder?: { rows: number; first: BarSize; rest: BarSize };
  /** Placeholder rows of a shape of their own, instead of `placeholder`. */
  loadingRows?: ReactNode;
  skeletonHeight?: number;
}

interface ListStateProps<Item> {
  query: ListQuery;
  /** The loaded rows; undefined until the first answer (the placeholders show meanwhile). */
  items: readonly Item[] | undefined;
  errorTitle: string;
  /**
   * Keep showing rows already loaded when a later refetch fails, instead of replacing them with the error (for
   * lists polled in the background, where a blip should not blank the page).
   */
  keepItemsOnError?: boolean;
  empty: ListEmpty;
  /**
   * While filters are on: what to say instead of `empty` when nothing matches, with a button that clears them
   * ("Clear filters" unless `clearLabel` says otherwise).
   */
  filtered?: { title: ReactNode; description: ReactNode; onClear: () => void; clearLabel?: string } | null;
  /** Rows in a table; without it, `children` renders the whole list (cards, a grid). */
  table?: ListTable;
  /** Stands in for the whole list until it loads (by default a table's placeholder rows). */
  loading?: ReactNode;
  /** The list sits in a card that has its own padding (a SectionCard): no padding of its own around the states. */
  bare?: boolean;
  pager?: ListPagerProps;
  children: (items: readonly Item[]) => ReactNode;
}

function isLoadMore(pager: ListPagerProps): pager is LoadMorePager {
  return 'onLoadMore' in pager;
}

/** The row under a list: what is shown on the left, "Load more" or page numbers on the right. */
export function ListPager(props: ListPagerProps) {
  const control = isLoadMore(props) ? (
    props.hasMore ? (
      <Button
        variant={props.variant ?? 'default'}
        size={props.size}
        onClick={() => {
          props.onLoadMore();
        }}
        loading={props.loadingMore}
        data-testid={props['data-testid']}
      >
        {props.label ?? 'Load more'}
      </Button>
    ) : null
  ) : 'pages' in props && props.pages > 1 ? (
    <Pagination
      total={props.pages}
      value={Math.min(props.page, props.pages)}
      onChange={props.onPage}
      size="sm"
      getControlProps={(control) => ({
        'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
      })}
    />
  ) : null;
  if (!control && !props.summary) {
    return null;
  }
  return (
    <Group
      justify={props.summary ? 'space-between' : 'center'}
      p={props.bare ? undefined : 'md'}
      mt={props.bare ? 'sm' : undefined}
      gap="sm"
      wrap="wrap"
    >
      {props.summary ? (
        typeof props.summary === 'string' ? (
          <Text size="sm" c="dimmed">
            {props.summary}
          </Text>
        ) : (
          props.summary
        )
      ) : null}
      {control}
    </Group>
  );
}

function SkeletonRows({ columns, height }: { columns: number; height: number }) {
  return [0, 1, 2].map((row) => (
    <Table.Tr key={row} aria-hidden>
      <Table.Td colSpan={columns}>
        <Skeleton h={height} />
      </Table.Td>
    </Table.Tr>
  ));
}

interface BarSize {
  h: number;
  w: number;
}

/**
 * Placeholder rows for a table while its first page loads: a grid of bars, the first column's of its own size (a
 * name over an email, a chevron); see `ListTable.placeholder`.
 */
function PlaceholderRows({
  rows,
  columns,
  first,
  rest,
}: {
  rows: number;
  columns: number;
  first: BarSize;
  rest: BarSize;
}) {
  return Array.from({ length: rows }, (_, row) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to tell them apart.
    <Table.Tr key={row} aria-hidden>
      {Array.from({ length: columns }, (__, cell) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: as above.
        <Table.Td key={cell}>
          <Skeleton {...(cell === 0 ? first : rest)} />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}

/**
 * Every list's four states in one place, inside its card: the error with a retry, the empty message with its
 * action, the rows (placeholders while the first answer is on its way) and the pager under them.
 */
export function ListState<Item>({
  query,
  items,
  errorTitle,
  keepItemsOnError = false,
  empty,
  filtered,
  table,
  loading,
  bare = false,
  pager,
  children,
}: ListStateProps<Item>) {
  if (query.error && !(keepItemsOnError && items)) {
    const alert = (
      <QueryErrorAlert
        title={errorTitle}
        error={query.error}
        onRetry={query.refetch}
        retrying={query.isFetching}
      />
    );
    return bare ? (
      alert
    ) : (
      <Box p="md" pt={0}>
        {alert}
      </Box>
    );
  }
  if (items && items.length === 0) {
    const shown = filtered
      ? {
          ...empty,
          title: filtered.title,
          description: filtered.description,
          action: (
            <Button variant="default" onClick={filtered.onClear}>
              {filtered.clearLabel ?? 'Clear filters'}
            </Button>
          ),
        }
      : empty;
    return (
      <EmptyMessage
        {...shown}
        py={empty.py ?? (bare ? 24 : 48)}
        px={bare ? undefined : 'md'}
        iconSize={bare ? 24 : 28}
      />
    );
  }
  if (!items && loading !== undefined) {
    return loading;
  }
  const body = table ? (
    <Table.ScrollContainer minWidth={table.minWidth}>
      <Table verticalSpacing="sm" horizontalSpacing="md" {...table.props}>
        <Table.Thead>
          <Table.Tr>{table.head}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items
            ? children(items)
            : (table.loadingRows ??
              (table.placeholder ? (
                <PlaceholderRows columns={table.columns} {...table.placeholder} />
              ) : (
                <SkeletonRows columns={table.columns} height={table.skeletonHeight ?? 28} />
              )))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  ) : items ? (
    children(items)
  ) : null;
  return (
    <>
      {body}
      {pager && items && items.length > 0 ? <ListPager bare={bare} {...pager} /> : null}
    </>
  );
}
