import '@mantine/charts/styles.css';
import { BarChart, type BarChartSeries, DonutChart } from '@mantine/charts';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  ColorSwatch,
  Grid,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconChartBar,
  IconChartDonut,
  IconChartLine,
  IconCoins,
  IconPigMoney,
  IconReceipt2,
  IconStack2,
} from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { Link } from 'react-router';
import { EmptyCard } from '../../components/list-state';
import { ChartCardHeading } from '../../components/money/chart-card-heading';
import { PnlText } from '../../components/money/money-badges';
import { PoolStatements } from '../../components/money/pool-statements';
import { PnlStatCard, StatCard } from '../../components/money/stat-card';
import { PageHeader } from '../../components/page-header';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useMoneyLive, usePoolsLive } from '../../hooks/use-money-live';
import { formatChartDollars, formatCount } from '../../lib/format';
import {
  formatCents,
  formatNav,
  formatPercent,
  formatShares,
  parseMicros,
  valueOfShares,
} from '../../lib/money';
import { trpc } from '../../lib/trpc';
import classes from './portfolio-page.module.css';

type Investment = RouterOutputs['investments']['list']['items'][number];
type Pool = RouterOutputs['pools']['byId'];

/** Pools whose value still moves: their rooms are joined for `pnl:update`. */
const LIVE_STATUSES: ReadonlySet<Pool['status']> = new Set([
  'PENDING',
  'ACTIVE',
  'PAUSED',
  'CLOSED',
  'SETTLING',
]);

const CHART_COLORS = ['ocean.6', 'teal.6', 'grape.6', 'orange.6', 'cyan.6', 'pink.6', 'lime.6', 'indigo.6'];

interface Position {
  poolId: string;
  pool: Pool | undefined;
  /** Still holding shares (not yet settled). */
  open: boolean;
  investedCents: number;
  shares: string;
  /** Open: shares × the live NAV; settled: what was paid out. */
  valueCents: number;
  pnlCents: number;
  payoutCents: number;
  feeCents: number;
}

function addShares(a: string, b: string): string {
  const micros = (parseMicros(a) ?? 0n) + (parseMicros(b) ?? 0n);
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

/** One row per pool and state: the open holding, and separately what a settlement paid out. */
function positionsOf(investments: readonly Investment[], pools: ReadonlyMap<string, Pool>): Position[] {
  const byKey = new Map<string, Position>();
  for (const item of investments) {
    if (item.status !== 'ACTIVE' && item.status !== 'SETTLED') {
      continue;
    }
    const open = item.status === 'ACTIVE';
    const key = `${item.poolId}:${open ? 'open' : 'settled'}`;
    const position = byKey.get(key) ?? {
      poolId: item.poolId,
      pool: pools.get(item.poolId),
      open,
      investedCents: 0,
      shares: '0.000000',
      valueCents: 0,
      pnlCents: 0,
      payoutCents: 0,
      feeCents: 0,
    };
    position.investedCents += item.amountCents;
    position.shares = addShares(position.shares, item.shares);
    position.payoutCents += item.payoutCents ?? 0;
    position.feeCents += item.feeCents ?? 0;
    byKey.set(key, position);
  }
  const positions = [...byKey.values()];
  for (const position of positions) {
    position.valueCents = position.open
      ? position.pool
        ? (valueOfShares(position.shares, position.pool.navPerShare) ?? position.investedCents)
        : position.investedCents
      : position.payoutCents;
    position.pnlCents = position.valueCents - position.investedCents;
  }
  // Open holdings first, biggest first.
  return positions.sort((a, b) => Number(b.open) - Number(a.open) || b.valueCents - a.valueCents);
}

function ratio(pnl: number, invested: number): number | null {
  return invested > 0 ? pnl / invested : null;
}

function PositionsTable({ positions }: { positions: Position[] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table
        verticalSpacing="sm"
        horizontalSpacing="md"
        highlightOnHover
        data-testid="positions-table"
        className={classes.table}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Pool</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Invested</Table.Th>
            <Table.Th ta="right">Shares</Table.Th>
            <Table.Th ta="right">Share price</Table.Th>
            <Table.Th ta="right">Value</Table.Th>
            <Table.Th ta="right">Profit / loss</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {positions.map((position) => (
            <Table.Tr
              key={`${position.poolId}:${position.open}`}
              data-pool-id={position.poolId}
              data-testid="position-row"
            >
              <Table.Td>
                <Anchor component={Link} to={`/pools/${position.poolId}`} fw={600} size="sm">
                  {position.pool?.name ?? 'Pool'}
                </Anchor>
                {position.pool ? (
                  <Text size="xs" c="dimmed">
                    {position.pool.pair}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {position.open ? (
                  position.pool ? (
                    <PoolStatusBadge status={position.pool.status} miw="max-content" />
                  ) : null
                ) : (
                  <Badge color="teal" variant="light" miw="max-content">
                    Settled
                  </Badge>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCents(position.investedCents)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatShares(position.shares)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {position.open && position.pool ? formatNav(position.pool.navPerShare) : '—'}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text
                  size="sm"
                  fw={600}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                  data-testid="position-value"
                >
                  {formatCents(position.valueCents)}
                </Text>
                {!position.open ? (
                  <Text size="xs" c="dimmed">
                    paid out, fee {formatCents(position.feeCents)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">
                <Box data-testid="position-pnl">
                  <PnlText cents={position.pnlCents} size="sm" />
                  <Text size="xs" c="dimmed">
                    {formatPercent(ratio(position.pnlCents, position.investedCents) ?? 0)}
                  </Text>
                </Box>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The charts plot dollars; their values show as money again. */
const dollarsExact = (dollars: number) => formatChartDollars(dollars);

function AllocationCard({ positions }: { positions: Position[] }) {
  const open = positions.filter((position) => position.open && position.valueCents > 0);
  const total = open.reduce((sum, position) => sum + position.valueCents, 0);
  const data = open.map((position, index) => ({
    name: position.pool?.name ?? 'Pool',
    value: position.valueCents / 100,
    color: CHART_COLORS[index % CHART_COLORS.length] ?? 'gray.6',
  }));

  return (
    <Card h="100%" data-testid="allocation-card">
      <ChartCardHeading icon={IconChartDonut}>Allocation</ChartCardHeading>
      {open.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing invested right now.
        </Text>
      ) : (
        <Stack gap="md" align="center">
          <DonutChart
            data={data}
            size={180}
            thickness={26}
            paddingAngle={data.length > 1 ? 2 : 0}
            strokeWidth={data.length > 1 ? 1 : 0}
            withTooltip
            tooltipDataSource="segment"
            valueFormatter={dollarsExact}
            chartLabel={formatCents(total)}
            aria-label="Value of your open positions by pool"
          />
          <Stack gap={6} w="100%">
            {open.map((position, index) => (
              <Group key={position.poolId} justify="space-between" wrap="nowrap" gap="xs">
                <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
                  <ColorSwatch
                    size={12}
                    color={`var(--mantine-color-${(CHART_COLORS[index % CHART_COLORS.length] ?? 'gray.6').replace('.', '-')})`}
                    withShadow={false}
                  />
                  <Text size="sm" truncate>
                    {position.pool?.name ?? 'Pool'}
                  </Text>
                </Group>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {total > 0 ? formatPercent(position.valueCents / total).replace('+', '') : '—'}
                </Text>
              </Group>
            ))}
          </Stack>
        </Stack>
      )}
    </Card>
  );
}

const VALUE_SERIES: BarChartSeries[] = [
  { name: 'Invested', color: 'gray.5' },
  { name: 'Value now', color: 'ocean.6' },
];
const VALUE_LEGEND = { verticalAlign: 'bottom' } as const;
/** Room for the pool names on the category axis. */
const VALUE_Y_AXIS = { width: 120 };
const VALUE_X_AXIS = { tickFormatter: (dollars: number) => formatChartDollars(dollars, 'compact') };

function ValueCard({ positions }: { positions: Position[] }) {
  const open = positions.filter((position) => position.open);
  const data = open.map((position) => ({
    pool: position.pool?.name ?? 'Pool',
    Invested: position.investedCents / 100,
    'Value now': position.valueCents / 100,
  }));
  return (
    <Card h="100%" data-testid="value-card">
      <ChartCardHeading icon={IconChartBar}>Invested and worth now</ChartCardHeading>
      {open.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing invested right now.
        </Text>
      ) : (
        <BarChart
          h={Math.max(180, open.length * 64 + 60)}
          data={data}
          dataKey="pool"
          orientation="vertical"
          series={VALUE_SERIES}
          valueFormatter={dollarsExact}
          withLegend
          legendProps={VALUE_LEGEND}
          gridAxis="none"
          yAxisProps={VALUE_Y_AXIS}
          xAxisProps={VALUE_X_AXIS}
          maxBarWidth={18}
          aria-label="Invested and current value of each open position"
        />
      )}
    </Card>
  );
}

/** Everything the investor holds: per pool what they put in, what it is worth now (live), and the totals. */
export function PortfolioPage() {
  useMoneyLive();
  const investments = useAllInvestments();
  const pools = trpc.pools.list.useQuery({});
  const poolMap = new Map(pools.data?.items.map((pool) => [pool.id, pool]));
  const positions = positionsOf(investments.data?.items ?? [], poolMap);
  const liveIds = positions
    .filter((position) => position.open && position.pool && LIVE_STATUSES.has(position.pool.status))
    .map((position) => position.poolId);
  const { live } = usePoolsLive(liveIds);

  const open = positions.filter((position) => position.open);
  const settled = positions.filter((position) => !position.open);
  const invested = open.reduce((sum, position) => sum + position.investedCents, 0);
  const value = open.reduce((sum, position) => sum + position.valueCents, 0);
  const unrealized = value - invested;
  const realized = settled.reduce((sum, position) => sum + position.pnlCents, 0);
  const loading = investments.isPending || pools.isPending;
  const error = investments.error ?? pools.error;

  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Portfolio"
        description="Your positions in every pool, valued at each pool’s latest share price."
        actions={
          liveIds.length > 0 ? (
            <Tooltip label={live ? 'Values follow the pools as they trade.' : 'Connecting to live prices…'}>
              <Badge
                variant="dot"
                color={live ? 'teal' : 'gray'}
                size="lg"
                tt="none"
                data-testid="portfolio-live"
                data-live={live}
                tabIndex={0}
              >
                {live ? 'Live values' : 'Connecting…'}
              </Badge>
            </Tooltip>
          ) : null
        }
      />

      {error ? (
        <QueryErrorAlert
          title="Could not load your portfolio"
          error={error}
          onRetry={() => Promise.all([investments.refetch(), pools.refetch()])}
          retrying={investments.isFetching || pools.isFetching}
        />
      ) : !loading && positions.length === 0 ? (
        <EmptyCard
          icon={IconStack2}
          title="No investments yet"
          description="Buy shares in a trading pool and follow what they are worth here, live."
          data-testid="portfolio-empty"
          action={
            <Button component={Link} to="/pools">
              Browse pools
            </Button>
          }
        />
      ) : (
        <Stack gap="lg" data-testid="portfolio" data-live={live}>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg">
            <StatCard
              label="Current value"
              icon={IconPigMoney}
              loading={loading}
              value={formatCents(value)}
              hint={formatCount(open.length, 'open position')}
              data-testid="portfolio-value"
            />
            <StatCard
              label="Invested"
              icon={IconCoins}
              color="grape"
              loading={loading}
              value={formatCents(invested)}
              hint="In positions still open"
              data-testid="portfolio-invested"
            />
            <PnlStatCard
              label="Unrealized PnL"
              icon={IconChartLine}
              loading={loading}
              cents={unrealized}
              hint={invested > 0 ? formatPercent(unrealized / invested) : 'Nothing open'}
              data-testid="portfolio-pnl"
            />
            <PnlStatCard
              label="Realized PnL"
              icon={IconReceipt2}
              loading={loading}
              cents={realized}
              hint={
                settled.length > 0
                  ? `${formatCount(settled.length, 'settled position')}, after fees`
                  : 'Nothing settled yet'
              }
              data-testid="portfolio-realized"
            />
          </SimpleGrid>

          <Card p={0}>
            <Group p="md" pb="xs">
              <Title order={2} size="h4">
                Positions
              </Title>
            </Group>
            {loading ? (
              <Stack p="md" gap="sm">
                <Skeleton h={36} />
                <Skeleton h={36} />
              </Stack>
            ) : (
              <PositionsTable positions={positions} />
            )}
          </Card>

          <PoolStatements pools={poolMap} />

          <Grid gap="lg" align="stretch">
            <Grid.Col span={{ base: 12, md: 5 }}>
              {loading ? <Skeleton h={320} radius="lg" /> : <AllocationCard positions={positions} />}
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              {loading ? <Skeleton h={320} radius="lg" /> : <ValueCard positions={positions} />}
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </>
  );
}
