import { Stack, Text } from '@mantine/core';
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
