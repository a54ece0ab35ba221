import { Badge, type BadgeProps, Tooltip } from '@mantine/core';
import { type PoolStatus, RISK_META, type RiskLevel, STATUS_META } from '../../lib/pools';
import classes from './pool-badges.module.css';

type Props = Omit<BadgeProps, 'color' | 'children'>;

/** The class that keeps a badge from shrinking to an ellipsis in a table cell or beside a long name. */
export const keepBadgeWhole = classes.keep;

/** A pool's status, in its colour, with what it means on hover. */
export function PoolStatusBadge({ status, ...props }: { status: PoolStatus } & Props) {
  const meta = STATUS_META[status];
  return (
    <Tooltip label={meta.description} openDelay={300}>
      <Badge
        variant="light"
        color={meta.color}
        className={classes.keep}
        data-testid="pool-status"
        data-status={status}
        {...props}
      >
        {meta.label}
      </Badge>
    </Tooltip>
  );
}

export function RiskBadge({ risk, ...props }: { risk: RiskLevel } & Props) {
  const meta = RISK_META[risk];
  return (
    <Badge variant="dot" color={meta.color} tt="none" className={classes.keep} {...props}>
      {meta.label}
    </Badge>
  );
}
