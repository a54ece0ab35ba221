import '@mantine/charts/styles.css';
import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconFileInvoice } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { Link } from 'react-router';
import { formatChartDollars } from '../../lib/format';
import { formatCents, formatNav, formatShares, valueOfShares } from '../../lib/money';
import type { Pool } from '../../lib/pools';
import { useRealtimeEvent } from '../../lib/realtime';
import { trpc } from '../../lib/trpc';
import { QueryErrorAlert } from '../query-error-alert';
import { ChartCardHeading } from './chart-card-heading';
import { PnlText } from './money-badges';

type Statement = RouterOutputs['statements']['mine']['items'][number];

/** The chart's values are dollars; the labels show them as compact money. */
const dollarsCompact = (dollars: number) => formatChartDollars(dollars, 'compact');

/** The invisible `base` each bar stands on, then the visible parts. */
const WATERFALL_SERIES: BarChartSeries[] = [
  { name: 'base', color: 'transparent' },
  { name: 'Total', color: 'ocean.6' },
  { name: 'Gain', color: 'teal.6' },
  { name: 'Cost', color: 'red.6' },
];
const WATERFALL_Y_AXIS = { width: 52, tickFormatter: dollarsCompact };

/**
 * Invested → result → value → fee → payout as floating bars: each bar stands on an invisible base, so the steps read
 * as a waterfall. Only for settled pools, where every figure is final and payout + fee = value to the cent.
 */
function SettlementWaterfall({ statement }: { statement: Statement }) {
  const invested = statement.investedCents / 100;
  const value = statement.valueCents / 100;
  const fee = (statement.feeCents ?? 0) / 100;
  const payout = (statement.payoutCents ?? 0) / 100;
  const profit = value - invested;
  const data = [
    { step: 'Invested', base: 0, Total: invested, Gain: 0, Cost: 0 },
    {
      step: profit >= 0 ? 'Profit' : 'Loss',
      base: Math.min(invested, value),
      Total: 0,
      Gain: Math.max(profit, 0),
      Cost: Math.max(-profit, 0),
    },
    { step: 'Value', base: 0, Total: value, Gain: 0, Cost: 0 },
    { step: 'Fee', base: payout, Total: 0, Gain: 0, Cost: fee },
    { step: 'Payout', base: 0, Total: payout, Gain: 0, Cost: 0 },
  ];
  return (
    <BarChart
      h={160}
      data={data}
      dataKey="step"
      type="stacked"
      series={WATERFALL_SERIES}
      withTooltip={false}
      gridAxis="none"
      yAxisProps={WATERFALL_Y_AXIS}
      valueFormatter={dollarsCompact}
      maxBarWidth={28}
      aria-label="From what you invested to what was paid out"
      data-testid="statement-waterfall"
    />
  );
}

function Figure({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text
        size="sm"
        fw={600}
        style={{ fontVariantNumeric: 'tabular-nums' }}
        data-testid={testId}
        component="div"
      >
        {children}
      </Text>
    </Stack>
  );
}

function StatementCard({ statement, pool }: { statement: Statement; pool: Pool | undefined }) {
  const settled = statement.status === 'SETTLED';
  // Follows the pool's live share price between two loads of the statement (the server's figure otherwise).
  const liveNav = pool && pool.navPerShare !== statement.navPerShare ? pool.navPerShare : null;
  const valueCents = settled
    ? statement.valueCents
    : liveNav
      ? (valueOfShares(statement.shares, liveNav) ?? statement.valueCents)
      : statement.valueCents;
  const profitCents = valueCents - statement.investedCents;
  return (
    <Card
      withBorder
      data-testid="pool-statement"
      data-pool-id={statement.poolId}
      data-status={statement.status}
    >
      <Group justify="space-between" wrap="nowrap" mb="sm">
        <Anchor component={Link} to={`/pools/${statement.poolId}`} fw={600} size="sm" truncate>
          {pool?.name ?? 'Pool'}
        </Anchor>
        <Badge variant="light" color={settled ? 'teal' : 'ocean'} miw="max-content">
          {statement.status.charAt(0) + statement.status.slice(1).toLowerCase()}
        </Badge>
      </Group>
      <SimpleGrid cols={settled ? 3 : 2} spacing="xs" verticalSpacing="xs">
        <Figure label="Invested" testId="statement-invested">
          {formatCents(statement.investedCents)}
        </Figure>
        <Figure label={`Shares at ${formatNav(liveNav ?? statement.navPerShare)}`} testId="statement-shares">
          {formatShares(statement.shares)}
        </Figure>
        <Figure label={settled ? 'Final value' : 'Value now'} testId="statement-value">
          {formatCents(valueCents)}
        </Figure>
        <Figure label={settled ? 'Profit before fee' : 'Profit / loss'} testId="statement-profit">
          <PnlText cents={profitCents} size="sm" fw={600} />
        </Figure>
        {settled ? (
          <>
            <Figure label="Performance fee" testId="statement-fee">
              {formatCents(statement.feeCents ?? 0)}
            </Figure>
            <Figure label="Paid to your wallet" testId="statement-payout">
              {formatCents(statement.payoutCents ?? 0)}
            </Figure>
          </>
        ) : null}
      </SimpleGrid>
      {settled ? (
        <Stack gap={4} mt="sm">
          <SettlementWaterfall statement={statement} />
          <Text size="xs" c="dimmed">
            Payout {formatCents(statement.payoutCents ?? 0)} + fee {formatCents(statement.feeCents ?? 0)} =
            value {formatCents(statement.valueCents)}
          </Text>
        </Stack>
      ) : null}
    </Card>
  );
}

/** The investor's statement for every pool they hold or held (CONTRACT §6), as the server computes it. */
export function PoolStatements({ pools }: { pools: ReadonlyMap<string, Pool> }) {
  const utils = trpc.useUtils();
  const statements = trpc.statements.mine.useQuery();
  // Investments, settlements and refunds change the statements; the pools' live prices are folded in per card.
  useRealtimeEvent('investment:update', () => void utils.statements.mine.invalidate());
  const items = statements.data?.items ?? [];
  const ordered = [...items].sort(
    (a, b) => Number(a.status === 'SETTLED') - Number(b.status === 'SETTLED') || b.valueCents - a.valueCents,
  );
  return (
    <Card data-testid="pool-statements">
      <ChartCardHeading icon={IconFileInvoice}>Statements</ChartCardHeading>
      {statements.error ? (
        <QueryErrorAlert
          title="Could not load your statements"
          error={statements.error}
          onRetry={() => statements.refetch()}
          retrying={statements.isFetching}
        />
      ) : statements.isPending ? (
        <Skeleton h={140} radius="md" />
      ) : ordered.length === 0 ? (
        <Text size="sm" c="dimmed">
          No statements yet.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {ordered.map((statement) => (
            <StatementCard key={statement.poolId} statement={statement} pool={pools.get(statement.poolId)} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
