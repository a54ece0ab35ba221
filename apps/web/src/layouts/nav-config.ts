import {
  type Icon,
  IconAdjustmentsDollar,
  IconBuildingBank,
  IconCashBanknote,
  IconChartPie,
  IconCreditCard,
  IconLayoutDashboard,
  IconListDetails,
  IconMail,
  IconPlugConnected,
  IconScale,
  IconShieldCog,
  IconStack2,
  IconUserCircle,
  IconUsers,
  IconWallet,
} from '@tabler/icons-react';
import { ADMIN_AREA_ROLES, ADMIN_ONLY } from '../auth/roles';
import type { Role } from '../auth/session-store';

export interface NavItem {
  label: string;
  to: string;
  icon: Icon;
  /** Active only on this exact path; leave false for items whose detail pages live below them (`/pools/:id`). */
  end?: boolean;
  /** Shown only to signed-in people with one of these roles; to everyone (signed in or not) when omitted. */
  roles?: readonly Role[];
  /** Shown only to signed-in people (any role). Implied by `roles`. */
  signedIn?: boolean;
}

export interface NavSection {
  id: 'investor' | 'account' | 'admin';
  label: string;
  items: readonly NavItem[];
}

/**
 * The navbar, as data. A new page adds one entry here and one route in router.tsx; nothing in the shell changes.
 * The admin section only links to `/admin/...`: its pages are loaded on demand, so listing them here costs nothing.
 * Sections whose items are all hidden from the person are left out.
 */
export const NAV_SECTIONS: readonly NavSection[] = [
  {
    id: 'investor',
    label: 'Investing',
    items: [
      { label: 'Overview', to: '/', icon: IconLayoutDashboard, end: true },
      { label: 'Pools', to: '/pools', icon: IconStack2, signedIn: true },
      { label: 'Portfolio', to: '/portfolio', icon: IconChartPie, signedIn: true },
    ],
  },
  {
    id: 'account',
    label: 'You',
    items: [
      { label: 'Wallet', to: '/wallet', icon: IconWallet, signedIn: true },
      { label: 'Withdrawals', to: '/withdrawals', icon: IconBuildingBank, signedIn: true },
      { label: 'Subscription', to: '/subscription', icon: IconCreditCard, signedIn: true },
      { label: 'Account', to: '/account', icon: IconUserCircle, signedIn: true },
    ],
  },
  {
    id: 'admin',
    label: 'Administration',
    items: [
      { label: 'Admin overview', to: '/admin', icon: IconShieldCog, end: true, roles: ADMIN_AREA_ROLES },
      { label: 'Pools', to: '/admin/pools', icon: IconAdjustmentsDollar, roles: ADMIN_AREA_ROLES },
      { label: 'Users', to: '/admin/users', icon: IconUsers, roles: ADMIN_ONLY },
      { label: 'Audit log', to: '/admin/audit', icon: IconListDetails, roles: ADMIN_ONLY },
      { label: 'Withdrawals', to: '/admin/withdrawals', icon: IconCashBanknote, roles: ADMIN_ONLY },
      { label: 'Ledger', to: '/admin/ledger', icon: IconScale, roles: ADMIN_ONLY },
      { label: 'Mail outbox', to: '/admin/mail', icon: IconMail, roles: ADMIN_ONLY },
      { label: 'Integrations', to: '/admin/integrations', icon: IconPlugConnected, roles: ADMIN_ONLY },
    ],
  },
];

/** Whether a person (null: signed out) sees an item. */
export function isNavItemVisible(item: NavItem, role: Role | null): boolean {
  if (item.roles) {
    return role !== null && item.roles.includes(role);
  }
  return !item.signedIn || role !== null;
}

/** The navbar for one person: hidden items removed, empty sections dropped. */
export function visibleNavSections(role: Role | null): NavSection[] {
  return NAV_SECTIONS.map((section) => ({
    ...section,
    items: section.items.filter((item) => isNavItemVisible(item, role)),
  })).filter((section) => section.items.length > 0);
}
