import { Badge, Box, Tooltip } from '@mantine/core';
import { usePoolJoined } from '../../lib/pool-live';
import { type RealtimeStatus, useRealtimeStatus } from '../../lib/realtime';
import { REALTIME_LOOK } from '../realtime-indicator';
import classes from '../realtime-indicator.module.css';

interface LiveStatusBadgeProps {
  /** What updates live, for the tooltip ("this pool", "this list"). */
  label?: string;
  /** The pool whose room must be joined before the page is live (the socket alone is not enough). */
  poolId?: string;
}

function helpFor(status: RealtimeStatus, label: string): string {
  switch (status) {
    case 'connected':
      return `Live: ${label} updates as events arrive.`;
    case 'offline':
      return 'Live updates are off.';
    case 'connecting':
      return 'Connecting to live updates…';
    default:
      return 'Reconnecting… Updates resume from the last event received, so nothing is missed.';
  }
}

/**
 * Whether the figures beside it are live: "Live" while the socket is up (and, for a pool page, its room joined),
 * "Reconnecting" while it is not. On reconnection the pool rooms resume from the last event seen.
 */
export function LiveStatusBadge({ label = 'this page', poolId }: LiveStatusBadgeProps) {
  const socketStatus = useRealtimeStatus();
  const joined = usePoolJoined(poolId ?? '');
  const status: RealtimeStatus =
    socketStatus === 'connected' && poolId !== undefined && !joined ? 'connecting' : socketStatus;
  const look = REALTIME_LOOK[status];
  const text = status === 'connected' ? 'Live' : `${look.label}…`;
  return (
    <Tooltip label={helpFor(status, label)} multiline w={260}>
      <Badge
        variant="default"
        size="lg"
        tt="none"
        fw={600}
        tabIndex={0}
        role="status"
        aria-label={`Live updates: ${status === 'connected' ? 'live' : look.label.toLowerCase()}`}
        data-testid="pool-live-status"
        data-state={status}
        leftSection={
          <Box
            className={classes.dot}
            data-pulsing={status === 'connected' || undefined}
            style={{ '--dot-color': `var(--mantine-color-${look.color}-filled)` }}
          />
        }
      >
        {status === 'offline' ? look.label : text}
      </Badge>
    </Tooltip>
  );
}
