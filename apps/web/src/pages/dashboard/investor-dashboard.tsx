import { Box, Button, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconChartLine, IconClockHour4, IconStack2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { CompactMoney } from '../../components/compact-money';
import { StatTile } from '../../components/labeled-value';
import { EmptyCard } from '../../components/list-state';
import { FirstSteps } from '../../components/money/first-steps';
import { InvestorSummary } from '../../components/money/investor-summary';
import { PageHeader } from '../../components/page-header';
import { LiveStatusBadge } from '../../components/pools/live-status-badge';
import { QueryErrorAlert, queryErrorProps } from '../../components/query-error-alert';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useLivePoolList } from '../../hooks/use-live-pool-list';
import type { Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { RaisingPool } from './dashboard-raising-pool';
import { WatchedPool } from './dashboard-watched-pool';
import classes from './investor-dashboard.module.css';

/** The pools a signed-in person watches here: trading ones (live NAV) and ones raising money. */
const WATCHED = { status: ['ACTIVE', 'PAUSED', 'PENDING'] as Pool['status'][] };

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
