import { Card, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { PnlText } from './money-badges';

interface StatCardProps {
  label: string;
  icon: Icon;
  color?: string;
  /** The figure; a skeleton while `loading`. */
  value: ReactNode;
  loading?: boolean;
  /** A line under the figure: what it means, or what to do. */
  hint?: ReactNode;
  /** Bottom: an action. */
  footer?: ReactNode;
  'data-testid'?: string;
}

/** One headline figure: label, big number, one line of context. */
export function StatCard({
  label,
  icon: StatIcon,
  color = 'ocean',
  value,
  loading = false,
  hint,
  footer,
  'data-testid': testId,
}: StatCardProps) {
  return (
    <Card data-testid={testId} h="100%">
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text size="xs" c="dimmed" fw={700} tt="uppercase" lts={0.5}>
            {label}
          </Text>
          <ThemeIcon variant="light" color={color} size="lg" radius="md" aria-hidden>
            <StatIcon size={20} stroke={1.6} />
          </ThemeIcon>
        </Group>
        {loading ? (
          <Skeleton h={34} w="60%" />
        ) : (
          <Text
            component="div"
            fz={{ base: 26, sm: 30 }}
            fw={700}
            lh={1.15}
            style={{ fontVariantNumeric: 'tabular-nums' }}
            data-testid={testId ? `${testId}-value` : undefined}
          >
            {value}
          </Text>
        )}
        {hint ? (
          <Text component="div" size="sm" c="dimmed">
            {hint}
          </Text>
        ) : null}
        {footer ? <div style={{ marginTop: 'auto', paddingTop: 4 }}>{footer}</div> : null}
      </Stack>
    </Card>
  );
}

/** A profit or loss as a headline figure: signed, teal at or above zero and red below. */
export function PnlStatCard({ cents, ...props }: Omit<StatCardProps, 'value' | 'color'> & { cents: number }) {
  return (
    <StatCard {...props} color={cents >= 0 ? 'teal' : 'red'} value={<PnlText cents={cents} inherit />} />
  );
}
