import { type Icon, IconLayoutDashboard, IconShieldCog } from '@tabler/icons-react';

export interface NavItem {
  label: string;
  to: string;
  icon: Icon;
  /** Active only on this exact path; leave false for items whose detail pages live below them (`/pools/:id`). */
  end?: boolean;
}

export interface NavSection {
  id: 'investor' | 'admin';
  label: string;
  items: readonly NavItem[];
}

/**
 * The navbar, as data. A new page adds one entry here and one route in router.tsx; nothing in the shell changes.
 * The admin section only links to `/admin/...`: its pages are loaded on demand, so listing them here costs nothing.
 */
export const NAV_SECTIONS: readonly NavSection[] = [
  {
    id: 'investor',
    label: 'Investing',
    items: [{ label: 'Overview', to: '/', icon: IconLayoutDashboard, end: true }],
  },
  {
    id: 'admin',
    label: 'Administration',
    items: [{ label: 'Admin overview', to: '/admin', icon: IconShieldCog, end: true }],
  },
];
