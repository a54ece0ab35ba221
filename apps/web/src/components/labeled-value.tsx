import { Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The small uppercase caption over a figure or a detail. */
export function Caption({ children, mb }: { children: ReactNode; mb?: number }) {
  return (
    <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4} mb={mb}>
      {children}
    </Text>
  );
}

/** A caption with its value under it: a figure on a summary, a field of a record. */
export function LabeledValue({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Caption>{label}</Caption>
      {children}
    </Stack>
  );
}

/**
 * One tile of a row of headline figures (the dashboard's, a pool's): a bordered card with a caption over what it
 * holds. Without a label the content brings its own caption (a countdown).
 */
export function StatTile({
  label,
  testId,
  className,
  children,
}: {
  label?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" className={className} data-testid={testId}>
      {label === undefined ? null : <Caption mb={4}>{label}</Caption>}
      {children}
    </Paper>
  );
}
