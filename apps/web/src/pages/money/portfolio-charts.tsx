import '@mantine/charts/styles.css';
import { BarChart, type BarChartSeries, DonutChart } from '@mantine/charts';
import { Card, ColorSwatch, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconChartBar, IconChartDonut } from '@tabler/icons-react';
import { ChartCardHeading } from '../../components/money/chart-card-heading';
import { formatChartDollars } from '../../lib/format';
import { formatCents, formatPercent } from '../../lib/money';
import type { Position } from './portfolio-positions';

const CHART_COLORS = ['ocean.6', 'teal.6', 'grape.6', 'orange.6', 'cyan.6', 'pink.6', 'lime.6', 'indigo.6'];

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

/** The open positions charted: each pool's share of the value, and what went in against what it is worth now. */
export function PortfolioCharts({ positions, loading }: { positions: Position[]; loading: boolean }) {
  return (
    <Grid gap="lg" align="stretch">
      <Grid.Col span={{ base: 12, md: 5 }}>
        {loading ? <Skeleton h={320} radius="lg" /> : <AllocationCard positions={positions} />}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        {loading ? <Skeleton h={320} radius="lg" /> : <ValueCard positions={positions} />}
      </Grid.Col>
    </Grid>
  );
}
