import { Paper, Text } from '@mantine/core';

/** One ingest count in a bordered tile, over its label. */
export function IngestFigure({
  label,
  value,
  color,
  testId,
}: {
  label: string;
  value: number;
  color?: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text
        fz={22}
        fw={700}
        lh={1.2}
        c={color}
        data-testid={testId}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {value.toLocaleString('en-US')}
      </Text>
      <Text size="xs" c="dimmed" lh={1.3}>
        {label}
      </Text>
    </Paper>
  );
}
