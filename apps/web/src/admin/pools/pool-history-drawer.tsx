import { Anchor, Drawer, Group, Stack, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { PoolStatusTimeline } from '../../components/pools/pool-status-timeline';
import { useLastDefined } from '../../hooks/use-last-defined';
import { formatShortDateTime } from '../../lib/format';
import type { Pool } from '../../lib/pools';

/** A pool's status history, beside the table: who moved it, when, and which moves the scheduler made. */
export function PoolHistoryDrawer({ pool: current, onClose }: { pool: Pool | null; onClose: () => void }) {
  const pool = useLastDefined(current);
  return (
    <Drawer
      opened={current !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={pool ? `History of ${pool.name}` : 'History'}
    >
      {pool ? (
        <Stack gap="lg">
          <Group justify="space-between">
            <PoolStatusBadge status={pool.status} />
            <Anchor component={Link} to={`/pools/${pool.id}`} size="sm">
              <Group gap={4} component="span">
                Open the pool page <IconExternalLink size={14} aria-hidden />
              </Group>
            </Anchor>
          </Group>
          <Stack gap={4}>
            <DateLine label="Starts" date={pool.startDate} />
            <DateLine label="Ends" date={pool.endDate} />
            <DateLine label="Settles" date={pool.settleDate} />
          </Stack>
          {current ? <PoolStatusTimeline poolId={current.id} /> : null}
        </Stack>
      ) : null}
    </Drawer>
  );
}

/** One of the pool's dates, its name dimmed before it: "Starts 3 Mar, 09:00". */
function DateLine({ label, date }: { label: string; date: Parameters<typeof formatShortDateTime>[0] }) {
  return (
    <Text size="sm">
      <Text span c="dimmed" inherit>
        {label}{' '}
      </Text>
      {formatShortDateTime(date)}
    </Text>
  );
}
