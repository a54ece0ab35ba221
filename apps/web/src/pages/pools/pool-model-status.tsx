import { Card, Group, Paper, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconRobot } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useNow } from '../../hooks/use-now';
import { formatRelative } from '../../lib/format';
import { isPoolSnapshot, usePoolLiveEvents } from '../../lib/pool-live';
import { isTradingNow, type ModelStatus, type Pool, STATUS_META } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { HeartbeatBadge } from './pool-heartbeat-badge';
import { ModelMetrics } from './pool-model-metrics';
import classes from './pool-page.module.css';

/** What the trading model last said about the pool, its metrics, and when it was last heard from. */
export function PoolModelStatus({ pool }: { pool: Pool }) {
  const status = trpc.pools.modelStatus.useQuery({ id: pool.id });
  const now = useNow(10_000);
  /** What the model said live: kept beside the loaded status, so a refetch answered earlier cannot undo it. */
  const [live, setLive] = useState<{ status: ModelStatus['status']; heartbeatAt: string | null }>({
    status: null,
    heartbeatAt: null,
  });

  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      // A pool snapshot comes from a person or the scheduler; everything else is the model speaking.
      if (event.type === 'pool:update' && isPoolSnapshot(event.data)) {
        return;
      }
      const data = event.type === 'pool:update' && !isPoolSnapshot(event.data) ? event.data : null;
      setLive((current) => ({
        status: data ? { ...data, at: data.at ?? event.at } : current.status,
        heartbeatAt: event.at,
      }));
    },
    onResync: () => {
      void status.refetch();
    },
  });

  const current = useMemo(() => {
    if (!status.data) {
      return null;
    }
    const loaded = status.data;
    const liveIsNewer =
      live.status !== null && (!loaded.status?.at || (live.status.at ?? '') >= loaded.status.at);
    const heartbeats = [loaded.lastHeartbeatAt, live.heartbeatAt].filter((at): at is string => at !== null);
    return {
      status: liveIsNewer ? live.status : loaded.status,
      // ISO instants in UTC sort as text.
      lastHeartbeatAt: heartbeats.sort().at(-1) ?? null,
    };
  }, [status.data, live]);

  const trading = isTradingNow(pool.status);
  const metrics = Object.entries(current?.status?.metrics ?? {});

  return (
    <Card component="section" aria-labelledby="pool-model-title" h="100%" data-testid="pool-model-status">
      <Group gap="sm" mb="md" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md">
          <IconRobot size={20} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Title order={2} size="h4" id="pool-model-title">
            Trading model
          </Title>
          {current ? (
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">
                Heartbeat
              </Text>
              <HeartbeatBadge at={current.lastHeartbeatAt} now={now} status={pool.status} />
            </Group>
          ) : null}
        </Stack>
      </Group>

      {status.isError && !status.data ? (
        <QueryErrorAlert
          title="Could not load the model status"
          error={status.error}
          onRetry={() => status.refetch()}
          retrying={status.isFetching}
        />
      ) : !current ? (
        <Stack gap="sm">
          <Skeleton h={48} />
          <Skeleton h={60} />
        </Stack>
      ) : (
        <Stack gap="md">
          {!trading && pool.status !== 'PENDING' ? (
            <Text size="sm" c="dimmed" data-testid="model-not-trading">
              {pool.status === 'PAUSED'
                ? 'Trading is paused: the model is not trading this pool. Below is what it last reported.'
                : `${STATUS_META[pool.status].label}: the model no longer trades this pool.${
                    current.status?.message || metrics.length > 0 ? ' Below is what it last reported.' : ''
                  }`}
            </Text>
          ) : null}
          {current.status?.message ? (
            <Paper p="sm" radius="md" className={classes.message}>
              <Text size="sm" lh={1.5} data-testid="model-message">
                {current.status.message}
              </Text>
              {current.status.at ? (
                <Text size="xs" c="dimmed" mt={4}>
                  {formatRelative(current.status.at, now)}
                </Text>
              ) : null}
            </Paper>
          ) : trading ? (
            <Text size="sm" c="dimmed">
              The model has not posted a status message yet.
            </Text>
          ) : pool.status === 'PENDING' ? (
            <Text size="sm" c="dimmed">
              The model starts reporting once the pool is active.
            </Text>
          ) : null}
          {metrics.length > 0 ? <ModelMetrics metrics={metrics} /> : null}
        </Stack>
      )}
    </Card>
  );
}
