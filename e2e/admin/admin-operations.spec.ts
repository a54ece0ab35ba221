import { expect, test } from '@playwright/test';
import { seedStaff } from '../support/accounts';
import { saveFullPageScreenshot } from '../support/screenshots';

test.describe('operations numbers on the admin overview', () => {
  test('an admin sees the /metrics numbers of the process, refreshing; a manager does not see the panel', async ({
    page,
    browser,
  }) => {
    await seedStaff(page.request, 'ADMIN');
    await page.goto('/admin');
    const panel = page.getByTestId('operations-panel');
    await expect(panel).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId('ops-http')).toContainText(/\d+ total/);
    await expect(panel.getByTestId('ops-sockets')).toBeVisible();
    await expect(panel.getByRole('table', { name: 'Busiest routes' })).toBeVisible();
    // Refreshes by itself: the request count grows as the page polls (every 5 s).
    const first = await panel.getByTestId('ops-http').textContent();
    await expect(panel.getByTestId('ops-http')).not.toHaveText(first ?? '', { timeout: 15_000 });
    await saveFullPageScreenshot(page, 'admin-overview-operations');

    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    await seedStaff(manager.request, 'MANAGER');
    await manager.goto('/admin');
    await expect(manager.getByRole('heading', { level: 1, name: 'Admin overview' })).toBeVisible();
    await expect(manager.getByTestId('operations-panel')).toHaveCount(0);
    await managerContext.close();
  });
});
