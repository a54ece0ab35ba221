import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconWebhook } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { Caption } from '../../components/labeled-value';
import { keepBadgeWhole } from '../../components/pools/pool-badges';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useNow } from '../../hooks/use-now';
import { formatDateTime, formatRelative } from '../../lib/format';
import { HEARTBEAT_STALE_MS, isTradingNow, type PoolStatus } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { IngestChart } from './ingest-chart';
import { IngestFigure } from './ingest-figure';
import classes from './ingest-overview.module.css';
import { PanelTitle } from './panel-title';

export type Delivery = RouterOutputs['admin']['integrations']['deliveries'][number];
export type DeliveryOutcome = Delivery['outcome'];

/** Ingest figures are a glance, not a feed: refreshed this often. */
export const INGEST_REFRESH_MS = 15_000;

export const OUTCOME_META: Record<DeliveryOutcome, { label: string; color: string }> = {
  ACCEPTED: { label: 'Accepted', color: 'teal' },
  DUPLICATE: { label: 'Duplicate', color: 'gray' },
  REFUSED: { label: 'Refused', color: 'red' },
};

export function OutcomeBadge({ outcome }: { outcome: DeliveryOutcome }) {
  const meta = OUTCOME_META[outcome];
  return (
    <Badge variant="light" color={meta.color} size="sm" className={keepBadgeWhole}>
      {meta.label}
    </Badge>
  );
}

/**
 * A heartbeat's age: teal while fresh, orange once older than two minutes, grey when the model never reported. Only
 * a pool that should be trading (ACTIVE) can be stale: for a paused, closed or settling pool (`status`) the last
 * heartbeat is history, shown grey.
 */
export function HeartbeatAge({ at, now, status }: { at: string | null; now: number; status?: PoolStatus }) {
  if (status !== undefined && !isTradingNow(status)) {
    return (
      <Tooltip label={at ? formatDateTime(at) : 'The model never reported'} openDelay={300}>
        <Badge variant="light" color="gray" tt="none" data-state="idle" className={keepBadgeWhole}>
          {at ? `Last heard ${formatRelative(at, now)}` : 'Not trading'}
        </Badge>
      </Tooltip>
    );
  }
  if (!at) {
    return (
      <Badge variant="light" color="gray" tt="none" data-state="none" className={keepBadgeWhole}>
        Never
      </Badge>
    );
  }
  const stale = now - new Date(at).getTime() > HEARTBEAT_STALE_MS;
  return (
    <Tooltip label={formatDateTime(at)} openDelay={300}>
      <Badge
        variant="light"
        color={stale ? 'orange' : 'teal'}
        tt="none"
        data-state={stale ? 'stale' : 'fresh'}
      >
        {stale ? 'Stale · ' : ''}
        {formatRelative(at, now)}
      </Badge>
    </Tooltip>
  );
}

/** Webhook ingest over the last hour: three figures and accepted/refused deliveries per minute. */
export function IngestStats({ chartHeight = 120 }: { chartHeight?: number }) {
  const stats = trpc.admin.integrations.stats.useQuery(undefined, { refetchInterval: INGEST_REFRESH_MS });
  if (stats.isError && !stats.data) {
    return (
      <QueryErrorAlert
        title="Could not load ingest figures"
        error={stats.error}
        onRetry={() => stats.refetch()}
        retrying={stats.isFetching}
      />
    );
  }
  if (!stats.data) {
    return (
      <Stack gap="sm" aria-busy="true">
        <SimpleGrid cols={3} spacing="sm">
          <Skeleton h={64} />
          <Skeleton h={64} />
          <Skeleton h={64} />
        </SimpleGrid>
        <Skeleton h={chartHeight} />
      </Stack>
    );
  }
  const { perMinute, acceptedLastMinute, acceptedLastHour, refusedLastDay } = stats.data;
  return (
    <Stack gap="sm" data-testid="ingest-stats">
      <SimpleGrid cols={3} spacing="sm">
        <IngestFigure label="accepted, last minute" value={acceptedLastMinute} testId="ingest-last-minute" />
        <IngestFigure label="accepted, last hour" value={acceptedLastHour} testId="ingest-last-hour" />
        <IngestFigure
          label="refused, last 24 h"
          value={refusedLastDay}
          color={refusedLastDay > 0 ? 'red' : undefined}
          testId="ingest-refused-day"
        />
      </SimpleGrid>
      <IngestChart perMinute={perMinute} height={chartHeight} />
    </Stack>
  );
}

/** For each trading pool: when the model last reported, and what its last delivery was. */
export function LastDeliveryPerPool() {
  const now = useNow(10_000);
  const heartbeats = trpc.admin.integrations.heartbeats.useQuery(undefined, {
    refetchInterval: INGEST_REFRESH_MS,
  });
  const pools = heartbeats.data ?? [];
  const last = trpc.useQueries((t) =>
    pools.map((pool) =>
      t.admin.integrations.deliveries(
        { poolId: pool.poolId, limit: 1 },
        { refetchInterval: INGEST_REFRESH_MS },
      ),
    ),
  );
  if (heartbeats.isError && !heartbeats.data) {
    return (
      <QueryErrorAlert
        title="Could not load the pools"
        error={heartbeats.error}
        onRetry={() => heartbeats.refetch()}
        retrying={heartbeats.isFetching}
      />
    );
  }
  if (!heartbeats.data) {
    return <Skeleton h={96} />;
  }
  if (pools.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No pool is trading: the model has nothing to report.
      </Text>
    );
  }
  return (
    <Stack gap={0} data-testid="last-delivery-per-pool">
      <Caption mb={6}>Trading pools: heartbeat and last delivery</Caption>
      {pools.map((pool, index) => {
        const delivery = last[index]?.data?.[0];
        return (
          <Group
            key={pool.poolId}
            justify="space-between"
            wrap="nowrap"
            gap="sm"
            py={8}
            className={classes.poolRow}
          >
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/pools/${pool.poolId}`} size="sm" fw={600} truncate>
                {pool.name}
              </Anchor>
              {last[index]?.isPending ? (
                <Skeleton h={12} w={160} />
              ) : delivery ? (
                <Text size="xs" c="dimmed" truncate>
                  <Text span inherit fw={600} c={OUTCOME_META[delivery.outcome].color}>
                    {OUTCOME_META[delivery.outcome].label}
                  </Text>{' '}
                  {delivery.eventType ?? 'unknown event'} · {formatRelative(delivery.receivedAt, now)}
                </Text>
              ) : (
                <Text size="xs" c="dimmed">
                  No delivery yet
                </Text>
              )}
            </Stack>
            <HeartbeatAge at={pool.lastHeartbeatAt} now={now} status={pool.status} />
          </Group>
        );
      })}
    </Stack>
  );
}

/**
 * The admin overview's view of the trading model: ingest figures and each trading pool's last delivery. Webhook
 * figures are ADMIN-only on the server, so managers (who share the overview) do not see this card.
 */
export function IngestOverviewCard() {
  const { user } = useAuth();
  if (user?.role !== 'ADMIN') {
    return null;
  }
  return (
    <Card data-testid="ingest-overview">
      <PanelTitle
        icon={IconWebhook}
        aside={
          <Anchor component={Link} to="/admin/integrations" size="sm">
            Integrations
          </Anchor>
        }
      >
        Model webhook
      </PanelTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <IngestStats />
        <LastDeliveryPerPool />
      </SimpleGrid>
    </Card>
  );
}
