import { Group, Progress, Stack, Text } from '@mantine/core';
import { formatMoney } from '../../lib/format';
import { type Pool, raisedPercent } from '../../lib/pools';
import { CompactMoney } from '../compact-money';

/** Raised against target: a bar and both figures. */
export function RaisedProgress({
  pool,
  compact = false,
}: {
  pool: Pick<Pool, 'raisedCents' | 'targetAmountCents' | 'name'>;
  compact?: boolean;
}) {
  const percent = raisedPercent(pool);
  const money = (cents: number) =>
    compact ? <CompactMoney cents={cents} /> : formatMoney(cents, { whole: true });
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          <Text span fw={600} c="var(--mantine-color-text)" inherit>
            {money(pool.raisedCents)}
          </Text>{' '}
          of {money(pool.targetAmountCents)}
        </Text>
        <Text size="xs" fw={600} c={percent >= 100 ? 'teal' : 'dimmed'}>
          {Math.floor(percent)}%
        </Text>
      </Group>
      <Progress
        value={percent}
        size="sm"
        radius="xl"
        color={percent >= 100 ? 'teal' : 'ocean'}
        aria-label={`${pool.name}: ${Math.floor(percent)}% of the target raised`}
      />
    </Stack>
  );
}
