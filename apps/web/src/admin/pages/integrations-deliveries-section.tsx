import { ActionIcon, Anchor, SegmentedControl, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconInbox, IconPlugConnected, IconRefresh } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ListState } from '../../components/list-state';
import { SectionCard } from '../../components/section-card';
import { formatCount, formatDateTime, formatIp } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import {
  type Delivery,
  type DeliveryOutcome,
  INGEST_REFRESH_MS,
  OUTCOME_META,
  OutcomeBadge,
} from '../components/ingest-overview';

const DELIVERY_PAGE = 25;

type OutcomeFilter = DeliveryOutcome | 'ALL';

/** Every webhook request, newest first, by outcome, a page at a time; the newest page refreshes itself. */
export function DeliveriesSection() {
  const [outcome, setOutcome] = useState<OutcomeFilter>('ALL');
  /** `before` cursors of the pages loaded; the first page (null) is the newest and refreshes on its own. */
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const pools = trpc.pools.list.useQuery({});
  const poolNames = new Map((pools.data?.items ?? []).map((pool) => [pool.id, pool.name]));
  const pages = trpc.useQueries((t) =>
    cursors.map((before) =>
      t.admin.integrations.deliveries(
        {
          limit: DELIVERY_PAGE,
          ...(outcome === 'ALL' ? {} : { outcome }),
          ...(before ? { before } : {}),
        },
        // Only while one page is shown: refreshing the newest page under older ones would open a gap between them.
        { refetchInterval: cursors.length === 1 ? INGEST_REFRESH_MS : false },
      ),
    ),
  );
  const first = pages[0];
  const seen = new Set<string>();
  const rows: Delivery[] = [];
  for (const page of pages) {
    for (const row of page.data ?? []) {
      if (!seen.has(row.id)) {
        seen.add(row.id);
        rows.push(row);
      }
    }
  }
  const lastPage = pages.at(-1);
  const more = lastPage?.data?.length === DELIVERY_PAGE;
  const loadingMore = lastPage?.isPending && cursors.length > 1;

  return (
    <SectionCard
      icon={IconInbox}
      title="Recent deliveries"
      description="Every webhook request, accepted or not: refusals store nothing but this row."
      aside={
        <Tooltip label="Show the newest deliveries">
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Refresh deliveries"
            loading={first?.isFetching}
            onClick={() => {
              setCursors([null]);
              void first?.refetch();
            }}
          >
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      }
      data-testid="deliveries-section"
    >
      <SegmentedControl
        mb="md"
        size="xs"
        aria-label="Outcome"
        value={outcome}
        onChange={(value) => {
          setOutcome(value as OutcomeFilter);
          setCursors([null]);
        }}
        data={[
          { value: 'ALL', label: 'All' },
          ...(Object.keys(OUTCOME_META) as DeliveryOutcome[]).map((value) => ({
            value,
            label: OUTCOME_META[value].label,
          })),
        ]}
      />
      <ListState
        query={first ?? { error: null, isFetching: false, refetch: () => undefined }}
        items={first?.data ? rows : undefined}
        keepItemsOnError
        bare
        errorTitle="Could not load deliveries"
        empty={{
          icon: IconPlugConnected,
          py: 32,
          title:
            outcome === 'ALL'
              ? 'No deliveries yet'
              : `No ${OUTCOME_META[outcome].label.toLowerCase()} deliveries`,
          description: 'Deliveries appear here as soon as the trading model posts to the webhook.',
          'data-testid': 'deliveries-empty',
        }}
        loading={<Skeleton h={160} />}
        table={{
          minWidth: 880,
          columns: 8,
          props: {
            verticalSpacing: 6,
            horizontalSpacing: undefined,
            highlightOnHover: true,
            layout: 'fixed',
            'data-testid': 'deliveries-table',
          },
          head: (
            <>
              <Table.Th w={130}>Received</Table.Th>
              <Table.Th w={105}>Outcome</Table.Th>
              <Table.Th w={55}>HTTP</Table.Th>
              <Table.Th w={125}>Event</Table.Th>
              <Table.Th w={140}>Pool</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th w={150}>Source</Table.Th>
              <Table.Th w={70} ta="right">
                Size
              </Table.Th>
            </>
          ),
        }}
        pager={{
          hasMore: Boolean(more || loadingMore),
          loadingMore: Boolean(loadingMore),
          onLoadMore: () => {
            const oldest = rows.at(-1);
            if (oldest) {
              setCursors((list) => [...list, oldest.receivedAt]);
            }
          },
          label: 'Load older',
          variant: 'subtle',
          size: 'xs',
          summary: (
            <Text size="xs" c="dimmed">
              {formatCount(rows.length, 'delivery', 'deliveries')}
              {cursors.length === 1 ? ' · refreshes every 15 s' : ''}
            </Text>
          ),
        }}
      >
        {(items) =>
          items.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                <Tooltip label={formatDateTime(row.receivedAt)} openDelay={300}>
                  <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {dayjs(row.receivedAt).format('D MMM HH:mm:ss')}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <OutcomeBadge outcome={row.outcome} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c={row.httpStatus >= 400 ? 'red' : undefined}>
                  {row.httpStatus}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" truncate>
                  {row.eventType ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {row.poolId ? (
                  <Anchor component={Link} to={`/pools/${row.poolId}`} size="sm" truncate display="block">
                    {poolNames.get(row.poolId) ?? row.poolId}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {row.reason ? (
                  <Tooltip label={row.reason} multiline w={320} openDelay={300}>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {row.reason}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" truncate title={row.webhookId ?? undefined}>
                  {row.webhookId ?? 'no webhook-id'}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" truncate>
                  {formatIp(row.ip)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {row.bodyBytes.toLocaleString('en-US')} B
                </Text>
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListState>
    </SectionCard>
  );
}
