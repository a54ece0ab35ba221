import type { MantineColor } from '@mantine/core';
import { ROLE_VALUES, STAFF_ROLES } from '@tradepool/domain/vocabulary';
import type { Role } from './session-store';

export const ROLES: readonly Role[] = ROLE_VALUES;

/** Who may open /admin: managers run pools there; admins also manage users and read the audit log. */
export const ADMIN_AREA_ROLES: readonly Role[] = STAFF_ROLES;
export const ADMIN_ONLY: readonly Role[] = ['ADMIN'];

export const ROLE_META: Record<Role, { label: string; color: MantineColor; description: string }> = {
  INVESTOR: {
    label: 'Investor',
    color: 'gray',
    description: 'Invests in pools and manages their own wallet.',
  },
  MANAGER: { label: 'Manager', color: 'indigo', description: 'Creates and runs pools.' },
  ADMIN: {
    label: 'Admin',
    color: 'grape',
    description: 'Everything a manager does, plus users, withdrawals and the audit log.',
  },
};

export function hasRole(role: Role | undefined, allowed: readonly Role[]): boolean {
  return role !== undefined && allowed.includes(role);
}
