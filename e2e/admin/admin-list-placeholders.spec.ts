import { expect, test } from '@playwright/test';
import { seedStaff } from '../support/accounts';

/**
 * While an admin list loads, its placeholder rows stand under its header: one cell per column, so nothing shifts or
 * sticks out when the rows arrive. The list's answer is held back until the placeholders have been measured.
 */
const LISTS = [
  { path: '/admin/users', procedure: 'admin.users.list', table: 'users-table' },
  { path: '/admin/pools', procedure: 'pools.list', table: 'admin-pools-table' },
  { path: '/admin/audit', procedure: 'admin.audit.list', table: 'audit-table' },
];

test.describe('admin list placeholders', () => {
  test.beforeEach(async ({ page }) => {
    await seedStaff(page.request, 'ADMIN');
  });

  for (const list of LISTS) {
    test(`${list.path}: one placeholder cell per header column while loading`, async ({ page }) => {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route(
        (url) =>
          url.pathname.startsWith('/trpc/') &&
          url.pathname.split(',').some((p) => p.endsWith(list.procedure)),
        async (route) => {
          await released;
          await route.continue();
        },
      );

      await page.goto(list.path);
      const table = page.getByTestId(list.table);
      const placeholder = table.locator('tbody tr[aria-hidden="true"]').first();
      await expect(placeholder).toBeVisible();
      const columns = await table.locator('thead th').count();
      expect(columns).toBeGreaterThan(1);
      await expect(placeholder.locator('td')).toHaveCount(columns);

      release();
      await expect(table.locator('tbody tr[aria-hidden="true"]')).toHaveCount(0);
    });
  }
});
