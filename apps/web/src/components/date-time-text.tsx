import { Text, Tooltip } from '@mantine/core';
import { formatDate, formatDateTime, formatShortDateTime } from '../lib/format';

/** A moment in a list: on one line, the day (with `dateOnly`) or the day and time, the full moment in a tooltip. */
export function DateTimeText({ at, dateOnly = false }: { at: string; dateOnly?: boolean }) {
  return (
    <Tooltip label={formatDateTime(at)} openDelay={300}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {dateOnly ? formatDate(at) : formatShortDateTime(at)}
      </Text>
    </Tooltip>
  );
}
