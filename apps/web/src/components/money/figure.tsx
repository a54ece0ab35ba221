import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Caption } from '../labeled-value';

interface FigureProps {
  label: string;
  children: ReactNode;
  testId?: string;
  /** Smaller and lighter, for a row of figures under a chart. */
  compact?: boolean;
}

/** One labelled figure: a small capitalised label over the value, digits in tabular figures. */
export function Figure({ label, children, testId, compact = false }: FigureProps) {
  return (
    <Stack gap={compact ? 0 : 2}>
      <Caption>{label}</Caption>
      <Text
        component="div"
        size={compact ? 'sm' : undefined}
        fw={compact ? 600 : 650}
        style={{ fontVariantNumeric: 'tabular-nums' }}
        data-testid={testId}
      >
        {children}
      </Text>
    </Stack>
  );
}
