import { expect, test } from '@playwright/test';
import { seedStaff } from '../support/accounts';
import { createPoolViaApi, publishPoolViaApi, seedManagerWithToken, uniquePoolName } from '../support/pools';
import { saveViewportScreenshot } from '../support/screenshots';
import { field } from '../support/ui';

test.describe('pool administration', () => {
  test('a manager creates a pool from a template and sees it pending', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/admin/pools');
    await expect(page.getByRole('heading', { level: 1, name: 'Pools' })).toBeVisible();

    await page.getByRole('button', { name: 'New pool' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New pool' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: 'Swing ETH template' }).click();

    // The template fills every field, the dates included (start two days out, 21 days of trading).
    await expect(field(dialog, 'Name')).toHaveValue('Swing ETH');
    await expect(field(dialog, 'Pair')).toHaveValue('ETH/USDT');
    await expect(dialog.getByRole('textbox', { name: 'Target amount' })).toHaveValue('$30,000');
    await expect(dialog.getByRole('textbox', { name: 'Minimum investment' })).toHaveValue('$50');
    await expect(dialog.getByTestId('pool-startDate')).not.toHaveText('');

    const name = uniquePoolName('Swing ETH');
    await field(dialog, 'Name').fill(name);
    // Tall enough for the whole dialog: it scrolls inside the viewport, which a full-page capture does not stretch.
    await page.setViewportSize({ width: 1280, height: 1100 });
    await saveViewportScreenshot(page, 'admin-pools-modal-light');
    await dialog.getByRole('button', { name: 'Create pool' }).click();

    await expect(page.getByText('Pool created')).toBeVisible();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('admin-pools-table').getByRole('row').filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('pool-status')).toHaveText('Pending');
    await expect(row).toContainText('ETH/USDT');
    // A pending pool can be started early ("Start trading now"); cancelling sits in the menu, behind a confirmation.
    await expect(row.getByRole('button', { name: `Start trading now: ${name}` })).toBeVisible();
  });

  test('the form checks its fields before asking the server', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/admin/pools');
    await page.getByRole('button', { name: 'New pool' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New pool' });
    await dialog.getByRole('button', { name: 'Create pool' }).click();
    await expect(dialog.getByText('At least 3 characters')).toBeVisible();
    await expect(dialog.getByText('Pick a strategy')).toBeVisible();
    await field(dialog, 'Pair').fill('btc-usdt');
    await dialog.getByRole('button', { name: 'Create pool' }).click();
    await expect(dialog.getByText(/Like BTC\/USDT/)).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('editing an active pool locks what its status freezes', async ({ page }) => {
    const token = await seedManagerWithToken(page.request);
    const pool = await createPoolViaApi(page.request, token, { name: uniquePoolName('E2E Edit') });
    await publishPoolViaApi(page.request, token, pool.id);

    await page.goto('/admin/pools?status=ACTIVE');
    const row = page.getByTestId('admin-pools-table').getByRole('row').filter({ hasText: pool.name });
    await expect(row.getByTestId('pool-status')).toHaveText('Active');
    await row.getByRole('button', { name: `Actions for ${pool.name}` }).click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${pool.name}` });
    await expect(field(dialog, 'Name')).toBeEnabled();
    await expect(field(dialog, 'Pair')).toBeDisabled();
    await expect(dialog.getByRole('textbox', { name: 'Minimum investment' })).toBeDisabled();

    const renamed = `${pool.name} II`;
    await field(dialog, 'Name').fill(renamed);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Pool saved')).toBeVisible();
    await expect(page.getByTestId('admin-pools-table')).toContainText(renamed);

    // The status history drawer names who published it.
    const renamedRow = page.getByTestId('admin-pools-table').getByRole('row').filter({ hasText: renamed });
    await renamedRow.getByRole('button', { name: `Actions for ${renamed}` }).click();
    await page.getByRole('menuitem', { name: 'Status history' }).click();
    await expect(page.getByTestId('pool-history')).toContainText('Pending → Active');
  });

  test('cancelling asks first, naming the pool', async ({ page }) => {
    const token = await seedManagerWithToken(page.request);
    const pool = await createPoolViaApi(page.request, token, { name: uniquePoolName('E2E Cancel') });
    await page.goto('/admin/pools?status=PENDING');
    const row = page.getByTestId('admin-pools-table').getByRole('row').filter({ hasText: pool.name });
    await row.getByRole('button', { name: `Actions for ${pool.name}` }).click();
    await page.getByRole('menuitem', { name: 'Cancel pool…' }).click();
    const confirm = page.getByRole('dialog', { name: `Cancel ${pool.name}?` });
    await expect(confirm).toContainText('every investor is refunded');
    await confirm.getByRole('button', { name: 'Cancel pool' }).click();
    await expect(page.getByText(`${pool.name} is cancelled`)).toBeVisible();
    // Filtered on PENDING: the cancelled pool leaves the table.
    await expect(row).toHaveCount(0);
  });
});
