import { Card, Text } from '@mantine/core';
import type { DatesRangeValue } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListDetails } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { type ListEmpty, ListState } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatCount } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { ChainStatus } from './audit-chain-status';
import { ENTRY_COLUMNS, EntryHead, EntryRow } from './audit-entry-row';
import { AuditFilters, rangeToInstants } from './audit-filters';

const PAGE_SIZE = 50;
const FILTER_DEBOUNCE_MS = 300;

const EMPTY_AUDIT: ListEmpty = {
  icon: IconListDetails,
  title: 'The audit log is empty',
  description: 'Entries appear here as people sign in and administrators act.',
  'data-testid': 'audit-empty',
};

/** Every admin action and money movement, newest first, with the proof that none was altered. ADMIN only. */
export function AdminAuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [range, setRange] = useState<DatesRangeValue<string>>([null, null]);
  const [debouncedActor] = useDebouncedValue(actor.trim(), FILTER_DEBOUNCE_MS);
  const [debouncedAction] = useDebouncedValue(action.trim(), FILTER_DEBOUNCE_MS);

  const filters = {
    actor: debouncedActor || undefined,
    action: debouncedAction || undefined,
    ...rangeToInstants(range),
    limit: PAGE_SIZE,
  };
  const utils = trpc.useUtils();
  // TanStack's infinite query rather than tRPC's: tRPC's adds a `direction` field to the input, which this
  // procedure's strict input refuses.
  const audit = useInfiniteQuery({
    queryKey: ['admin.audit.list', filters],
    queryFn: ({ pageParam, signal }) =>
      utils.client.admin.audit.list.query({ ...filters, cursor: pageParam }, { signal }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(actor.trim() || action.trim() || range[0]);
  const clearFilters = () => {
    setActor('');
    setAction('');
    setRange([null, null]);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative action, sign-in and money movement, newest first. Entries are append-only and chained by hash."
      />

      <ChainStatus />

      <Card p={0}>
        <AuditFilters
          actor={actor}
          onActorChange={setActor}
          action={action}
          onActionChange={setAction}
          range={range}
          onRangeChange={setRange}
          filtered={filtered}
          onClear={clearFilters}
        />

        <ListState
          query={audit}
          items={audit.data ? entries : undefined}
          errorTitle="Could not load the audit log"
          empty={EMPTY_AUDIT}
          filtered={
            filtered
              ? {
                  title: 'No entries match these filters',
                  description:
                    'Actions match by prefix ("auth." finds every sign-in entry). Try a wider date range.',
                  onClear: clearFilters,
                }
              : null
          }
          table={{
            minWidth: 820,
            columns: ENTRY_COLUMNS,
            placeholder: { rows: 8, first: { h: 14, w: 16 }, rest: { h: 14, w: 90 } },
            props: {
              'data-testid': 'audit-table',
              'aria-busy': audit.isFetching,
              style: { opacity: audit.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' },
            },
            head: <EntryHead />,
          }}
          pager={{
            hasMore: audit.hasNextPage,
            loadingMore: audit.isFetchingNextPage,
            onLoadMore: () => audit.fetchNextPage(),
            summary: (
              <Text size="sm" c="dimmed" data-testid="audit-count">
                {formatCount(entries.length, 'entry', 'entries')} shown
                {audit.hasNextPage ? '' : ' · end of the log'}
              </Text>
            ),
          }}
        >
          {(items) =>
            items.map((entry) => (
              <Fragment key={entry.id}>
                <EntryRow entry={entry} />
              </Fragment>
            ))
          }
        </ListState>
      </Card>
    </>
  );
}
