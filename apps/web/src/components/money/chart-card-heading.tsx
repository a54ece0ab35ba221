import { Group, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * The heading of a money card that holds a chart or statements (the portfolio's value and allocation, a pool's
 * statements): a bare icon in the brand colour, then the title.
 */
export function ChartCardHeading({ icon: HeadingGlyph, children }: { icon: Icon; children: ReactNode }) {
  return (
    <Group gap="sm" mb="md" wrap="nowrap">
      <HeadingGlyph size={22} stroke={1.6} color="var(--mantine-color-ocean-filled)" aria-hidden />
      <Title order={2} size="h4">
        {children}
      </Title>
    </Group>
  );
}
