import '@mantine/charts/styles.css';

import { Sparkline } from '@mantine/charts';
import { Box, Group, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { formatChange, formatCount, formatMoney, formatNav } from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import { changeColor, navChange, type Pool, STRATEGY_LABELS } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import classes from './investor-dashboard.module.css';

const SPARK_POINTS = 48;
const DAY_MS = 86_400_000;

/** NAV over the last day, with each `pnl:update` appended; shifted to its own minimum so small moves show. */
function NavSparkline({ pool }: { pool: Pool }) {
  const [since] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const series = trpc.pools.pnl.useQuery({ id: pool.id, since, points: SPARK_POINTS });
  const [live, setLive] = useState<number[]>([]);
  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      if (event.type === 'pnl:update') {
        setLive((values) => [...values.slice(-(SPARK_POINTS - 1)), Number(event.data.navPerShare)]);
      }
    },
  });
  const values = [...(series.data ?? []).map((point) => Number(point.navPerShare)), ...live].slice(
    -SPARK_POINTS * 2,
  );
  if (series.isPending) {
    return <Skeleton h={48} />;
  }
  if (values.length < 2) {
    return (
      <Text size="xs" c="dimmed" h={48} display="flex" style={{ alignItems: 'center' }}>
        Waiting for the model’s first reports
      </Text>
    );
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const floor = min - (max - min || min * 0.001) * 0.15;
  return (
    <Sparkline
      h={48}
      data={values.map((value) => value - floor)}
      curveType="monotone"
      trendColors={{ positive: 'teal', negative: 'red', neutral: 'gray' }}
      fillOpacity={0.35}
      strokeWidth={1.75}
      aria-hidden
    />
  );
}

/** A trading pool as a card linking to it: NAV and its change, equity, a day of NAV, investors, time left. */
export function WatchedPool({ pool }: { pool: Pool }) {
  const change = navChange(pool.navPerShare);
  return (
    <UnstyledButton
      component={Link}
      to={`/pools/${pool.id}`}
      className={classes.poolCard}
      aria-label={`${pool.name}: NAV ${formatNav(pool.navPerShare)}, ${formatChange(change)} since start`}
      data-testid="watched-pool"
      data-pool-id={pool.id}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs" mb={6}>
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={650} truncate>
            {pool.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {STRATEGY_LABELS[pool.strategy]} · {pool.pair}
          </Text>
        </Stack>
        <PoolStatusBadge status={pool.status} size="sm" />
      </Group>
      <Group justify="space-between" align="flex-end" wrap="nowrap" gap="xs">
        <Stack gap={0}>
          <Text fz={22} fw={700} className={classes.figure} data-testid="watched-pool-nav">
            {formatNav(pool.navPerShare)}
          </Text>
          <Text size="xs" fw={600} c={changeColor(change)} className={classes.figure}>
            {formatChange(change)} since start
          </Text>
        </Stack>
        <Stack gap={0} align="flex-end">
          <Text size="xs" c="dimmed">
            Equity
          </Text>
          <Text size="sm" fw={600} className={classes.figure}>
            {formatMoney(pool.equityCents)}
          </Text>
        </Stack>
      </Group>
      <Box mt="sm">
        <NavSparkline pool={pool} />
      </Box>
      <Group justify="space-between" mt="xs" gap="xs">
        <Text size="xs" c="dimmed">
          {formatCount(pool.investorCount, 'investor')}
        </Text>
        <PoolCountdown pool={pool} size="xs" />
      </Group>
    </UnstyledButton>
  );
}
