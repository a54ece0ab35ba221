import '@mantine/charts/styles.css';

import { Sparkline } from '@mantine/charts';
import {
  Anchor,
  Box,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowRight, IconChartLine, IconClockHour4, IconStack2 } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { CompactMoney } from '../../components/compact-money';
import { StatTile } from '../../components/labeled-value';
import { EmptyCard } from '../../components/list-state';
import { FirstSteps } from '../../components/money/first-steps';
import { InvestorSummary } from '../../components/money/investor-summary';
import { PageHeader } from '../../components/page-header';
import { LiveStatusBadge } from '../../components/pools/live-status-badge';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { RaisedProgress } from '../../components/pools/raised-progress';
import { QueryErrorAlert, queryErrorProps } from '../../components/query-error-alert';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useLivePoolList } from '../../hooks/use-live-pool-list';
import { formatChange, formatCount, formatMoney, formatNav } from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import { changeColor, navChange, type Pool, STRATEGY_LABELS } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import classes from './investor-dashboard.module.css';

/** The pools a signed-in person watches here: trading ones (live NAV) and ones raising money. */
const WATCHED = { status: ['ACTIVE', 'PAUSED', 'PENDING'] as Pool['status'][] };
const SPARK_POINTS = 48;
const DAY_MS = 86_400_000;

function Tile({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint: ReactNode;
  testId?: string;
}) {
  return (
    <StatTile label={label} testId={testId}>
      <Text component="div" fz={26} fw={700} className={classes.figure}>
        {value}
      </Text>
      <Text component="div" size="xs" c="dimmed">
        {hint}
      </Text>
    </StatTile>
  );
}

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

function WatchedPool({ pool }: { pool: Pool }) {
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

function RaisingPool({ pool }: { pool: Pool }) {
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

/**
 * The signed-in home: the pools worth watching, live. Trading pools show their NAV as the model reports it; pools
 * raising money count down to their start.
 *
 * Money figures (wallet, portfolio value, the pools this person invested in) belong in the slot marked below.
 */
export function InvestorDashboard() {
  const { user } = useAuth();
  const investments = useAllInvestments();
  const wallet = trpc.wallet.get.useQuery();
  // Someone who has never invested gets first steps instead of a "welcome back".
  const isNew = investments.data !== undefined && investments.data.items.length === 0;
  const list = useLivePoolList(WATCHED);
  const pools = list.data?.items ?? [];
  const trading = pools.filter((pool) => pool.status === 'ACTIVE' || pool.status === 'PAUSED');
  const raising = pools.filter((pool) => pool.status === 'PENDING');
  const equity = trading.reduce((sum, pool) => sum + pool.equityCents, 0);
  const raisingCents = raising.reduce((sum, pool) => sum + pool.raisedCents, 0);

  return (
    <>
      <PageHeader
        eyebrow="Overview"
        documentTitle="Overview"
        title={
          isNew
            ? `Welcome to Tradepool${user ? `, ${user.displayName}` : ''}`
            : user
              ? `Welcome back, ${user.displayName}`
              : 'Welcome back'
        }
        description="The pools trading right now and the ones raising money, updated live as the model reports."
        actions={
          <Group gap="sm">
            <LiveStatusBadge label="this page" />
            <Button component={Link} to="/pools" rightSection={<IconArrowRight size={16} />}>
              Browse pools
            </Button>
          </Group>
        }
      />

      {isNew && user ? (
        <FirstSteps
          subscribed={user.isSubscriptionActive}
          funded={(wallet.data?.balanceCents ?? 0) + (wallet.data?.heldCents ?? 0) > 0}
          invested={false}
        />
      ) : null}

      <InvestorSummary />

      {list.isError && !list.data ? (
        <QueryErrorAlert title="Could not load pools" {...queryErrorProps(list)} />
      ) : (
        <Stack gap="xl">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            {list.isPending ? (
              ['a', 'b', 'c'].map((key) => <Skeleton key={key} h={96} radius="md" />)
            ) : (
              <>
                <Tile
                  label="Trading pools"
                  value={String(trading.length)}
                  hint="Active or paused right now"
                  testId="dashboard-trading-count"
                />
                <Tile
                  label="Equity trading"
                  value={<CompactMoney cents={equity} />}
                  hint="Combined value of those pools, live"
                  testId="dashboard-equity"
                />
                <Tile
                  label="Raising now"
                  value={String(raising.length)}
                  hint={
                    <>
                      <CompactMoney cents={raisingCents} /> raised so far
                    </>
                  }
                />
              </>
            )}
          </SimpleGrid>

          <Box component="section" aria-labelledby="dashboard-trading-title">
            <Group justify="space-between" mb="sm">
              <Group gap="xs">
                <IconChartLine size={20} stroke={1.6} aria-hidden />
                <Title order={2} size="h4" id="dashboard-trading-title">
                  Trading now
                </Title>
              </Group>
            </Group>
            {list.isPending ? (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
                {['a', 'b', 'c'].map((key) => (
                  <Skeleton key={key} h={190} radius="lg" />
                ))}
              </SimpleGrid>
            ) : trading.length === 0 ? (
              <EmptyCard
                py={32}
                iconSize={26}
                icon={IconStack2}
                title="No pool is trading right now"
                description="Pools start trading on their start date. See the ones raising money below."
              />
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid="watched-pools">
                {trading.map((pool) => (
                  <WatchedPool key={pool.id} pool={pool} />
                ))}
              </SimpleGrid>
            )}
          </Box>

          <Box component="section" aria-labelledby="dashboard-raising-title">
            <Group gap="xs" mb="sm">
              <IconClockHour4 size={20} stroke={1.6} aria-hidden />
              <Title order={2} size="h4" id="dashboard-raising-title">
                Raising money
              </Title>
            </Group>
            {list.isPending ? (
              <Skeleton h={80} radius="md" />
            ) : raising.length === 0 ? (
              <Text size="sm" c="dimmed">
                No pool is raising money at the moment.
              </Text>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
                {raising.map((pool) => (
                  <RaisingPool key={pool.id} pool={pool} />
                ))}
              </SimpleGrid>
            )}
          </Box>
        </Stack>
      )}
    </>
  );
}
