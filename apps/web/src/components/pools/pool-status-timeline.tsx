import { Skeleton, Stack, Text, Timeline, Tooltip } from '@mantine/core';
import { IconClockPlay, IconUser } from '@tabler/icons-react';
import { formatDateTime, formatShortDateTime } from '../../lib/format';
import { type PoolHistoryEntry, STATUS_META } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { QueryErrorAlert } from '../query-error-alert';

function Entry({ entry }: { entry: PoolHistoryEntry }) {
  const meta = STATUS_META[entry.toStatus];
  const by =
    entry.trigger === 'SCHEDULER'
      ? 'Automatically, on schedule'
      : entry.actorEmail
        ? `By ${entry.actorEmail}`
        : 'By a manager';
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {entry.fromStatus
          ? `${STATUS_META[entry.fromStatus].label} → ${meta.label}`
          : `Created as ${meta.label.toLowerCase()}`}
      </Text>
      <Tooltip label={formatDateTime(entry.at)} openDelay={300}>
        <Text size="xs" c="dimmed" w="fit-content">
          {formatShortDateTime(entry.at)}
        </Text>
      </Tooltip>
      <Text size="xs" c="dimmed">
        {by}
      </Text>
    </Stack>
  );
}

/** A pool's status history, oldest first, from `pools.history`. */
export function PoolStatusTimeline({ poolId }: { poolId: string }) {
  const history = trpc.pools.history.useQuery({ id: poolId });
  if (history.isError && !history.data) {
    return (
      <QueryErrorAlert
        title="Could not load the history"
        error={history.error}
        onRetry={() => history.refetch()}
        retrying={history.isFetching}
      />
    );
  }
  if (history.isPending) {
    return (
      <Stack gap="sm" aria-busy="true">
        <Skeleton h={40} />
        <Skeleton h={40} />
      </Stack>
    );
  }
  if (history.data.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No status changes recorded.
      </Text>
    );
  }
  return (
    <Timeline active={history.data.length - 1} bulletSize={24} lineWidth={2} data-testid="pool-history">
      {history.data.map((entry) => (
        <Timeline.Item
          key={entry.id}
          color={STATUS_META[entry.toStatus].color}
          bullet={entry.trigger === 'SCHEDULER' ? <IconClockPlay size={13} /> : <IconUser size={13} />}
        >
          <Entry entry={entry} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
