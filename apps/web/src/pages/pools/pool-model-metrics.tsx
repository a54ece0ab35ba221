import { Paper, SimpleGrid, Text } from '@mantine/core';
import { formatNumber, formatRatio } from '../../lib/format';
import classes from './pool-page.module.css';

/** `winRate` → "Win rate", `max_drawdown` → "Max drawdown". */
function humanize(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Metrics the model reports as a fraction of 1 (0.55) that people read as a percentage (55%). */
const RATIO_METRIC = /(rate|ratio|exposure|drawdown|share|pct|percent|utili[sz]ation|allocation)$/i;

function formatMetric(key: string, value: unknown): string {
  if (typeof value === 'number') {
    return RATIO_METRIC.test(key) && Math.abs(value) <= 1 ? formatRatio(value) : formatNumber(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No';
  }
  return JSON.stringify(value);
}

/** The metrics the model last reported, two to a row, each under its name in words. */
export function ModelMetrics({ metrics }: { metrics: [string, unknown][] }) {
  return (
    <SimpleGrid cols={2} spacing="xs" data-testid="model-metrics">
      {metrics.map(([key, value]) => (
        <Paper key={key} withBorder p="xs" radius="md">
          <Text size="xs" c="dimmed" truncate>
            {humanize(key)}
          </Text>
          <Text size="sm" fw={600} className={classes.numeric} truncate>
            {formatMetric(key, value)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
