import { Box, Group, Text, Tooltip } from '@mantine/core';
import { type LivePath, type RealtimeStatus, useLivePath, useRealtimeStatus } from '../lib/realtime';
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

/** Which path carries the events: SSE normally, socket.io when SSE failed or cannot hold this page's streams. */
function pathWord(path: LivePath): { word: string; help: string } | null {
  if (path === null) {
    return null;
  }
  if (path.kind === 'sse') {
    return { word: 'SSE', help: 'Carried by server-sent events.' };
  }
  return path.reason === 'fallback'
    ? { word: 'socket.io fallback', help: 'Server-sent events failed here: carried by socket.io instead.' }
    : {
        word: 'socket.io',
        help: 'This page follows more streams than server-sent events hold: carried by socket.io.',
      };
}

/** A dot (and, on wider screens, words) saying whether live updates are flowing, and over which path. */
export function RealtimeIndicator() {
  const status = useRealtimeStatus();
  const livePath = useLivePath();
  const path = pathWord(livePath);
  const look = REALTIME_LOOK[status];
  const label = path && status !== 'offline' ? `${look.label} · ${path.word}` : look.label;
  return (
    <Tooltip label={path ? `${look.help} ${path.help}` : look.help} multiline w={240}>
      <Group
        gap={6}
        wrap="nowrap"
        px={8}
        h={28}
        className={classes.root}
        tabIndex={0}
        role="status"
        aria-label={`Live updates: ${label}`}
        data-testid="realtime-status"
        data-state={status}
        data-path={livePath?.kind}
      >
        <Box
          className={classes.dot}
          data-pulsing={status === 'connected' || undefined}
          style={{ '--dot-color': `var(--mantine-color-${look.color}-filled)` }}
        />
        <Text size="xs" fw={600} c="dimmed" visibleFrom="md">
          {label}
        </Text>
      </Group>
    </Tooltip>
  );
}
