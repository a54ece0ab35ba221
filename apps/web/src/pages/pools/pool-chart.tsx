import '@mantine/charts/styles.css';

import { AreaChart } from '@mantine/charts';
import { Box, Card, EmptyState, Group, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconChartAreaLine } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Figure } from '../../components/money/figure';
import { QueryErrorAlert } from '../../components/query-error-alert';
import {
  changeRatio,
  compactMoney,
  formatChange,
  formatChartDollars,
  formatDateTime,
  formatMoney,
  formatNav,
  formatPreciseDateTime,
  formatSignedMoney,
  niceTicks,
  timeTicks,
} from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import { changeColor, type PnlPoint, type Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';

const RANGES = {
  '1h': { label: '1H', ms: 3_600_000 },
  '24h': { label: '24H', ms: 86_400_000 },
  '7d': { label: '7D', ms: 7 * 86_400_000 },
  all: { label: 'All', ms: null },
} as const;
type Range = keyof typeof RANGES;
type Metric = 'nav' | 'equity';

/** Enough points for a smooth line on a wide screen; the server thins longer histories evenly. */
const POINTS = 300;
/** Live points kept beyond the loaded history, so a tab left open for days does not grow without bound. */
const MAX_LIVE_POINTS = 2_000;

function isRange(value: string): value is Range {
  return value in RANGES;
}

function sinceFor(range: Range): string | undefined {
  const ms = RANGES[range].ms;
  return ms === null ? undefined : new Date(Date.now() - ms).toISOString();
}

/**
 * NAV per share or equity over a chosen window, from `pools.pnl`, with every `pnl:update` appended as it arrives.
 * The headline and the PnL summary use the same figures as the rest of the page: the pool's NAV and equity (kept
 * live by the page) and the model's latest report (`report`, shared with the positions card). "All" measures the
 * change since the pool started at $1.000000 a share, exactly like the NAV tile's "since start".
 */
export function PoolChart({ pool, report }: { pool: Pool; report: PnlPoint | null }) {
  const [range, setRange] = useState<Range>('all');
  const [since, setSince] = useState<string | undefined>(() => sinceFor('all'));
  const [metric, setMetric] = useState<Metric>('nav');
  const [live, setLive] = useState<PnlPoint[]>([]);
  const history = trpc.pools.pnl.useQuery(
    { id: pool.id, points: POINTS, ...(since ? { since } : {}) },
    { placeholderData: keepPreviousData },
  );

  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      if (event.type === 'pnl:update') {
        const { at, equityCents, navPerShare, realizedPnlCents, unrealizedPnlCents } = event.data;
        setLive((points) => [
          ...points.slice(-(MAX_LIVE_POINTS - 1)),
          { at, equityCents, navPerShare, realizedPnlCents, unrealizedPnlCents },
        ]);
      }
    },
    onResync: () => {
      void history.refetch();
    },
  });

  const windowMs = RANGES[range].ms;
  const points = useMemo(() => {
    const loaded = history.data ?? [];
    const lastLoaded = loaded.at(-1)?.at ?? '';
    const merged = [...loaded, ...live.filter((point) => point.at > lastLoaded)].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
    );
    const from = windowMs === null ? Number.NEGATIVE_INFINITY : Date.now() - windowMs;
    return merged.filter((point) => new Date(point.at).getTime() >= from);
  }, [history.data, live, windowMs]);

  const data = points.map((point) => ({
    time: new Date(point.at).getTime(),
    nav: Number(point.navPerShare),
    equity: point.equityCents / 100,
  }));
  const first = points[0];
  const last = points.at(-1);
  // The current value is the pool's own (the NAV tile shows the same), not the chart's last point.
  const currentNav = Number(pool.navPerShare);
  // The money that trades (CONTRACT §6), once the server reports it: "since start" in dollars is equity − capital.
  const capitalCents = (pool as { capitalCents?: number }).capitalCents;
  const change =
    metric === 'nav'
      ? range === 'all'
        ? changeRatio(1, currentNav)
        : first
          ? changeRatio(Number(first.navPerShare), currentNav)
          : 0
      : range === 'all' && capitalCents !== undefined
        ? pool.equityCents - capitalCents
        : first
          ? pool.equityCents - first.equityCents
          : 0;
  const color = changeColor(change) === 'red' ? 'red' : 'teal';
  const values = data.map((point) => (metric === 'nav' ? point.nav : point.equity));
  const yAxis = niceTicks(Math.min(...values), Math.max(...values), 5);
  const xAxis = timeTicks(data[0]?.time ?? 0, data.at(-1)?.time ?? 0, 6);
  const formatY = (value: number) =>
    metric === 'nav'
      ? `$${value.toFixed(Math.max(2, yAxis.decimals))}`
      : // One style per axis: whole dollars, compact only when the figures are too long for the axis.
        Math.max(...yAxis.ticks.map(Math.abs)) >= 1_000_000
        ? compactMoney(Math.round(value * 100)).text
        : formatMoney(Math.round(value * 100), { whole: true });
  const periodLabel = range === 'all' ? 'since start' : `over the last ${RANGES[range].label.toLowerCase()}`;

  return (
    <Card h="100%" component="section" aria-labelledby="pool-chart-title" data-testid="pool-chart">
      <Group justify="space-between" align="flex-start" gap="sm" mb="md" wrap="wrap">
        <Stack gap={2}>
          <Title order={2} size="h4" id="pool-chart-title">
            {metric === 'nav' ? 'NAV per share' : 'Equity'}
          </Title>
          {first && last ? (
            <Text size="sm" c="dimmed" data-testid="pool-chart-headline">
              <Text span fw={600} c="var(--mantine-color-text)" inherit>
                {metric === 'nav' ? formatNav(pool.navPerShare) : formatMoney(pool.equityCents)}
              </Text>{' '}
              <Text span fw={600} c={changeColor(change)} inherit data-testid="pool-chart-change">
                {metric === 'nav' ? formatChange(change) : formatSignedMoney(change)}
              </Text>{' '}
              {periodLabel}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              As reported by the trading model
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="wrap">
          <SegmentedControl
            size="xs"
            aria-label="Chart value"
            value={metric}
            onChange={(value) => setMetric(value === 'equity' ? 'equity' : 'nav')}
            data={[
              { value: 'nav', label: 'NAV' },
              { value: 'equity', label: 'Equity' },
            ]}
          />
          <SegmentedControl
            size="xs"
            aria-label="Time range"
            value={range}
            onChange={(value) => {
              if (isRange(value)) {
                setRange(value);
                setSince(sinceFor(value));
              }
            }}
            data={Object.entries(RANGES).map(([value, { label }]) => ({ value, label }))}
          />
        </Group>
      </Group>

      {history.isError && !history.data ? (
        <QueryErrorAlert
          title="Could not load the chart"
          error={history.error}
          onRetry={() => history.refetch()}
          retrying={history.isFetching}
        />
      ) : history.isPending ? (
        <Skeleton h={280} aria-label="Loading the chart" />
      ) : data.length === 0 ? (
        <EmptyState
          h={280}
          icon={<IconChartAreaLine size={28} stroke={1.5} />}
          title={pool.status === 'PENDING' ? 'Trading has not started' : 'No data in this range'}
          description={
            pool.status === 'PENDING'
              ? 'The chart fills in as the model reports once the pool is active.'
              : 'Pick a longer range, or wait for the model’s next report.'
          }
          data-testid="pool-chart-empty"
        />
      ) : (
        <Box
          style={{ opacity: history.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}
          aria-label={`${metric === 'nav' ? 'NAV per share' : 'Equity'} chart, ${data.length} points`}
          role="img"
        >
          <AreaChart
            h={280}
            data={data}
            dataKey="time"
            series={[{ name: metric, label: metric === 'nav' ? 'NAV per share' : 'Equity', color }]}
            curveType="monotone"
            withGradient
            fillOpacity={0.25}
            withDots={data.length < 3}
            strokeWidth={2}
            gridAxis="y"
            tickLine="none"
            connectNulls
            valueFormatter={(value) =>
              metric === 'nav' ? `$${value.toFixed(6)}` : formatChartDollars(value)
            }
            xAxisProps={{
              type: 'number',
              scale: 'time',
              domain: ['dataMin', 'dataMax'],
              // Round moments, each labelled once: no "10:27, 10:27".
              ticks: xAxis.ticks,
              tickFormatter: xAxis.format,
              interval: 'preserveStartEnd',
              minTickGap: 24,
            }}
            yAxisProps={{
              // Round values (1.000, 1.002, …) rather than whatever the data's edges happen to be.
              domain: [yAxis.ticks[0] ?? 'auto', yAxis.ticks.at(-1) ?? 'auto'],
              ticks: yAxis.ticks,
              width: 72,
              tickFormatter: formatY,
            }}
            tooltipProps={{
              labelFormatter: (value: unknown) => formatPreciseDateTime(Number(value)),
            }}
            tooltipAnimationDuration={0}
          />
        </Box>
      )}

      {report ? (
        <Group gap="xl" mt="md" wrap="wrap">
          <Figure label="Realized PnL" testId="chart-realized-pnl" compact>
            {formatSignedMoney(report.realizedPnlCents)}
          </Figure>
          <Figure label="Unrealized PnL" testId="chart-unrealized-pnl" compact>
            {formatSignedMoney(report.unrealizedPnlCents)}
          </Figure>
          <Figure label="Last report" compact>
            {formatDateTime(report.at)}
          </Figure>
        </Group>
      ) : null}
    </Card>
  );
}
