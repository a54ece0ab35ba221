import { Anchor, Group, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { RaisedProgress } from '../../components/pools/raised-progress';
import { type Pool, STRATEGY_LABELS } from '../../lib/pools';

/** A pool raising money, linking to it: its strategy, time to its start and how much is raised. */
export function RaisingPool({ pool }: { pool: Pool }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Anchor component={Link} to={`/pools/${pool.id}`} fw={600} truncate display="block">
        {pool.name}
      </Anchor>
      <Group justify="space-between" wrap="nowrap" gap="sm" mb="xs">
        <Text size="xs" c="dimmed" truncate>
          {STRATEGY_LABELS[pool.strategy]} · {pool.pair}
        </Text>
        <PoolCountdown pool={pool} size="xs" />
      </Group>
      <RaisedProgress pool={pool} compact />
    </Paper>
  );
}
