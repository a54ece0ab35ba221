import '@mantine/charts/styles.css';

import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Box, Text } from '@mantine/core';
import type { RouterOutputs } from '@tradepool/api';
import dayjs from 'dayjs';

type PerMinute = RouterOutputs['admin']['integrations']['stats']['perMinute'];

const DELIVERY_SERIES: BarChartSeries[] = [
  { name: 'Accepted', color: 'teal.6' },
  { name: 'Refused', color: 'red.6' },
];
/** A label every quarter hour on the 60 one-minute bars. */
const DELIVERY_X_AXIS = { interval: 14, tickMargin: 6 };
const DELIVERY_BARS = { radius: 2 };

/** Accepted and refused deliveries per minute as stacked bars, with a note over the bars when there were none. */
export function IngestChart({ perMinute, height }: { perMinute: PerMinute; height: number }) {
  const data = perMinute.map((bucket) => ({
    minute: dayjs(bucket.minute).format('HH:mm'),
    Accepted: bucket.accepted,
    Refused: bucket.refused,
  }));
  const empty = perMinute.every((bucket) => bucket.accepted === 0 && bucket.refused === 0);
  return (
    <Box pos="relative" aria-label="Deliveries per minute over the last hour" role="img">
      <BarChart
        h={height}
        data={data}
        dataKey="minute"
        type="stacked"
        series={DELIVERY_SERIES}
        withYAxis={false}
        gridAxis="none"
        tickLine="none"
        xAxisProps={DELIVERY_X_AXIS}
        barProps={DELIVERY_BARS}
        tooltipAnimationDuration={0}
      />
      {empty ? (
        <Text
          size="xs"
          c="dimmed"
          pos="absolute"
          top="40%"
          left={0}
          right={0}
          ta="center"
          style={{ pointerEvents: 'none' }}
        >
          No deliveries in the last hour
        </Text>
      ) : null}
    </Box>
  );
}
