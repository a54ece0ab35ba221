import { Text, Tooltip } from '@mantine/core';
import { compactMoney } from '../lib/format';

/**
 * Money in a tight space: `$1.2M` where it must be short, with the exact amount in a tooltip (and for screen
 * readers). Amounts that are short enough already are shown exactly and get no tooltip.
 */
export function CompactMoney({ cents, testId }: { cents: number; testId?: string }) {
  const { text, exact, compacted } = compactMoney(cents);
  if (!compacted) {
    return (
      <Text span inherit data-testid={testId}>
        {exact}
      </Text>
    );
  }
  return (
    <Tooltip label={exact} openDelay={200}>
      <Text span inherit aria-label={exact} tabIndex={0} data-testid={testId} data-exact={exact}>
        {text}
      </Text>
    </Tooltip>
  );
}
