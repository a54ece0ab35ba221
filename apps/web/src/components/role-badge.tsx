import { Badge, type BadgeProps } from '@mantine/core';
import { ROLE_META } from '../auth/roles';
import type { Role } from '../auth/session-store';

export function RoleBadge({ role, ...props }: { role: Role } & Omit<BadgeProps, 'color' | 'children'>) {
  const meta = ROLE_META[role];
  return (
    <Badge variant="light" color={meta.color} {...props}>
      {meta.label}
    </Badge>
  );
}
