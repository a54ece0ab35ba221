import { Box, Group, Text, Tooltip } from '@mantine/core';
import { type RealtimeStatus, useRealtimeStatus } from '../lib/realtime';
import classes from './realtime-indicator.module.css';

export const REALTIME_LOOK: Record<RealtimeStatus, { label: string; color: string; help: string }> = {
  connected: {
    label: 'Live',
    color: 'teal',
    help: 'Live updates are on: pools and your wallet update as they change.',
  },
  connecting: { label: 'Connecting', color: 'yellow', help: 'Connecting to live updates…' },
  reconnecting: {
    label: 'Reconnecting',
    color: 'yellow',
    help: 'Live updates paused: reconnecting. What you see may be a few seconds old.',
  },
  offline: { label: 'Offline', color: 'gray', help: 'Live updates are off.' },
};

/** A dot (and, on wider screens, a word) saying whether live updates are flowing. */
export function RealtimeIndicator() {
  const status = useRealtimeStatus();
  const look = REALTIME_LOOK[status];
  return (
    <Tooltip label={look.help} multiline w={240}>
      <Group
        gap={6}
        wrap="nowrap"
        px={8}
        h={28}
        className={classes.root}
        tabIndex={0}
        role="status"
        aria-label={`Live updates: ${look.label}`}
        data-testid="realtime-status"
        data-state={status}
      >
        <Box
          className={classes.dot}
          data-pulsing={status === 'connected' || undefined}
          style={{ '--dot-color': `var(--mantine-color-${look.color}-filled)` }}
        />
        <Text size="xs" fw={600} c="dimmed" visibleFrom="md">
          {look.label}
        </Text>
      </Group>
    </Tooltip>
  );
}
