import { Badge, Tooltip } from '@mantine/core';
import { formatPreciseDateTime, formatRelative } from '../../lib/format';
import { HEARTBEAT_STALE_MS, isTradingNow, type PoolStatus } from '../../lib/pools';

/**
 * When the model was last heard from. Only a pool that should be trading (ACTIVE) can be fresh or stale; for a
 * paused, closed or settling pool the last heartbeat is history, shown grey as "last heard …".
 */
export function HeartbeatBadge({ at, now, status }: { at: string | null; now: number; status?: PoolStatus }) {
  if (status !== undefined && !isTradingNow(status)) {
    return (
      <Tooltip
        label={at ? `Last heard from the model ${formatPreciseDateTime(at)}` : 'The model never reported'}
      >
        <Badge variant="light" color="gray" tt="none" data-testid="heartbeat-state" data-state="idle">
          {at ? `Last heard ${formatRelative(at, now)}` : 'Not trading'}
        </Badge>
      </Tooltip>
    );
  }
  if (!at) {
    return (
      <Badge variant="light" color="gray" tt="none" data-testid="heartbeat-state" data-state="none">
        None yet
      </Badge>
    );
  }
  const stale = now - new Date(at).getTime() > HEARTBEAT_STALE_MS;
  return (
    <Tooltip label={`Last heard from the model ${formatPreciseDateTime(at)}`}>
      <Badge
        variant="light"
        color={stale ? 'orange' : 'teal'}
        tt="none"
        data-testid="heartbeat-state"
        data-state={stale ? 'stale' : 'fresh'}
      >
        {stale ? 'Stale · ' : ''}
        {formatRelative(at, now)}
      </Badge>
    </Tooltip>
  );
}
