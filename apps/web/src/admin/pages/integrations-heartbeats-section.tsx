import { Anchor, Badge, Skeleton, Table, Text } from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { Link } from 'react-router';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { SectionCard } from '../../components/section-card';
import { useNow } from '../../hooks/use-now';
import { HEARTBEAT_STALE_MS, isTradingNow, STATUS_META } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { HeartbeatAge, INGEST_REFRESH_MS } from '../components/ingest-overview';

/** When the model last reported for each trading pool, with a count of the stale ones. */
export function HeartbeatsSection() {
  const now = useNow(10_000);
  const heartbeats = trpc.admin.integrations.heartbeats.useQuery(undefined, {
    refetchInterval: INGEST_REFRESH_MS,
  });
  const rows = heartbeats.data ?? [];
  const stale = rows.filter(
    (row) =>
      isTradingNow(row.status) &&
      (!row.lastHeartbeatAt || now - new Date(row.lastHeartbeatAt).getTime() > HEARTBEAT_STALE_MS),
  ).length;
  return (
    <SectionCard
      icon={IconHeartbeat}
      title="Heartbeats"
      description="The model’s last report per trading pool; older than 2 minutes is stale for a pool that is trading."
      aside={
        heartbeats.data && rows.length > 0 ? (
          <Badge variant="light" color={stale > 0 ? 'orange' : 'teal'}>
            {stale > 0 ? `${stale} stale` : 'All fresh'}
          </Badge>
        ) : null
      }
      data-testid="heartbeats-section"
    >
      {heartbeats.isError && !heartbeats.data ? (
        <QueryErrorAlert
          title="Could not load heartbeats"
          error={heartbeats.error}
          onRetry={() => heartbeats.refetch()}
          retrying={heartbeats.isFetching}
        />
      ) : !heartbeats.data ? (
        <Skeleton h={96} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No pool is trading, so the model has nothing to report.
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="heartbeats-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Pool</Table.Th>
              <Table.Th ta="right">Last heartbeat</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.poolId}>
                <Table.Td>
                  <Anchor component={Link} to={`/pools/${row.poolId}`} size="sm" fw={600} lineClamp={1}>
                    {row.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {STATUS_META[row.status].label}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <HeartbeatAge at={row.lastHeartbeatAt} now={now} status={row.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}
