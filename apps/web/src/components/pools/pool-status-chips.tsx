import { Chip, Group } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { isPoolStatus, POOL_STATUSES, type PoolStatus, STATUS_META } from '../../lib/pools';

interface PoolStatusChipsProps {
  value: PoolStatus[];
  onChange: (statuses: PoolStatus[]) => void;
  /** Id of the visible "Status" label that names the group for screen readers. */
  labelledBy: string;
  /** How many pools have each status, shown after its label once known. */
  counts?: Record<PoolStatus, number>;
}

/** The pool-status filter: one toggle chip per status, in lifecycle order, any number selected. */
export function PoolStatusChips({ value, onChange, labelledBy, counts }: PoolStatusChipsProps) {
  return (
    <Chip.Group multiple value={value} onChange={(next) => onChange(next.filter(isPoolStatus))}>
      <Group gap={6} role="group" aria-labelledby={labelledBy}>
        {POOL_STATUSES.map((status) => (
          <Chip
            key={status}
            value={status}
            size="sm"
            variant="light"
            color={STATUS_META[status].color}
            icon={<IconCheck size={12} />}
          >
            {STATUS_META[status].label}
            {counts ? ` · ${counts[status]}` : ''}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
