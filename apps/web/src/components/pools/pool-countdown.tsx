import { Stack, Text, type TextProps, Tooltip } from '@mantine/core';
import { useCountdown } from '../../hooks/use-countdown';
import { formatDateTime } from '../../lib/format';
import { formatCountdown, nextMilestone, type Pool } from '../../lib/pools';
import { Caption } from '../labeled-value';

interface PoolCountdownProps {
  pool: Pick<Pool, 'status' | 'startDate' | 'endDate' | 'settleDate'>;
  /** `stacked`: label above a large figure (stat tiles); `inline`: one line (cards, tables). */
  layout?: 'stacked' | 'inline';
  size?: TextProps['size'];
}

/** "Starts in 1d 04h 12m" / "Ends in …" / "Settles in …", ticking every second; nothing for finished pools. */
export function PoolCountdown({ pool, layout = 'inline', size = 'sm' }: PoolCountdownProps) {
  const milestone = nextMilestone(pool);
  const seconds = useCountdown(milestone ? new Date(milestone.at).getTime() : null);
  if (!milestone) {
    return null;
  }
  const value = seconds > 0 ? formatCountdown(seconds) : milestone.dueLabel;
  const label = seconds > 0 ? milestone.label : 'Next step';
  if (layout === 'stacked') {
    return (
      <Tooltip label={formatDateTime(milestone.at)} openDelay={300}>
        <Stack gap={2} data-testid="pool-countdown">
          <Caption>{label}</Caption>
          <Text
            fw={700}
            fz="xl"
            lh={1.2}
            style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
          >
            {value}
          </Text>
        </Stack>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={formatDateTime(milestone.at)} openDelay={300}>
      <Text size={size} data-testid="pool-countdown" style={{ whiteSpace: 'nowrap' }}>
        <Text span c="dimmed" inherit>
          {seconds > 0 ? milestone.label : ''}{' '}
        </Text>
        <Text span fw={600} inherit style={{ fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Text>
      </Text>
    </Tooltip>
  );
}
