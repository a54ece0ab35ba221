import { expect, type Page, test } from '@playwright/test';
import { seedStaff, signUpViaApi } from '../support/accounts';
import { saveViewportScreenshot } from '../support/screenshots';
import { field } from '../support/ui';

/** The users table, filtered down to one person, and that person's row. */
async function findUser(page: Page, email: string) {
  await field(page, 'Search').fill(email);
  const row = page.getByTestId('users-table').getByRole('row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  return row;
}

test.describe('user administration', () => {
  test('grants subscription days, changes a role, disables and re-enables an account', async ({
    page,
    browser,
  }) => {
    // Four dialogs and a dozen round trips: well within 30 s alone, but not on a loaded machine (the browser, not the
    // server, is what slows down: every answer in the trace took under 150 ms).
    test.setTimeout(60_000);
    // The investor is created in a context of its own: `page` is the admin's.
    const investorContext = await browser.newContext();
    const investor = await signUpViaApi(investorContext.request, { displayName: 'Ivy Investor' });
    await investorContext.close();
    await seedStaff(page.request, 'ADMIN');

    await page.goto('/admin/users');
    let row = await findUser(page, investor.email);
    await expect(row).toContainText('Investor');
    await expect(row).toContainText('Active');

    await row.getByRole('button', { name: `Actions for ${investor.email}` }).click();
    await page.getByRole('menuitem', { name: 'Grant subscription…' }).click();
    const grant = page.getByRole('dialog', { name: 'Grant subscription days' });
    await grant.getByText('90 days').click();
    await expect(grant.getByTestId('new-subscription-end')).toContainText('New end date');
    await grant.getByRole('button', { name: 'Grant 90 days' }).click();
    await expect(page.getByText('Subscription granted')).toBeVisible();
    await expect(grant).toBeHidden();
    row = await findUser(page, investor.email);
    await expect(row.getByRole('cell').nth(3)).not.toHaveText('—');

    await row.getByRole('button', { name: `Actions for ${investor.email}` }).click();
    await page.getByRole('menuitem', { name: 'Change role…' }).click();
    const roleDialog = page.getByRole('dialog', { name: 'Change role' });
    await roleDialog.getByText('Manager', { exact: true }).click();
    await roleDialog.getByRole('button', { name: 'Change role' }).click();
    await expect(page.getByText('Role changed')).toBeVisible();
    await expect(row).toContainText('Manager');

    await row.getByRole('button', { name: `Actions for ${investor.email}` }).click();
    await page.getByRole('menuitem', { name: 'Disable account…' }).click();
    const confirm = page.getByRole('dialog', { name: `Disable ${investor.email}?` });
    await confirm.getByRole('button', { name: 'Disable account' }).click();
    await expect(page.getByText('Account disabled')).toBeVisible();
    await expect(row).toContainText('Disabled');

    // The status filter finds them among the disabled.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Disabled' }).click();
    await expect(page).toHaveURL(/status=disabled/);
    await expect(row).toBeVisible();

    await row.getByRole('button', { name: `Actions for ${investor.email}` }).click();
    await page.getByRole('menuitem', { name: 'Enable account…' }).click();
    await page
      .getByRole('dialog', { name: `Enable ${investor.email}?` })
      .getByRole('button', { name: 'Enable account' })
      .click();
    await expect(page.getByText('Account enabled')).toBeVisible();
    await expect(page.getByTestId('users-empty')).toContainText('No users match these filters');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(field(page, 'Search')).toHaveValue('');
  });

  test('an admin cannot disable themselves', async ({ page }) => {
    const admin = await seedStaff(page.request, 'ADMIN');
    await page.goto('/admin/users');
    const row = await findUser(page, admin.email);
    await row.getByRole('button', { name: `Actions for ${admin.email}` }).click();
    await expect(page.getByRole('menuitem', { name: 'Disable account…' })).toBeDisabled();
    await expect(page.getByRole('menuitem', { name: 'Change role…' })).toBeDisabled();
    await expect(page.getByText('This is you')).toBeVisible();
  });

  test('a manager has the admin overview but not users or audit', async ({ page }) => {
    await seedStaff(page.request, 'MANAGER');
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Admin overview' })).toBeVisible();
    const adminNav = page.getByRole('navigation', { name: 'Administration' });
    // Managers run pools; everything else in the admin area is for admins.
    await expect(adminNav.getByRole('link')).toHaveText(['Admin overview', 'Pools']);

    await page.goto('/admin/users');
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await page.goto('/admin/audit');
    await expect(page.getByTestId('forbidden')).toBeVisible();
  });
});

test.describe('user administration on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the users page scrolls its table sideways', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await seedStaff(page.request, 'ADMIN');
    await page.goto('/admin/users');
    await expect(page.getByTestId('users-table')).toBeVisible();
    await expect(page.getByTestId('users-count')).toBeVisible();
    await saveViewportScreenshot(page, 'admin-users-mobile');
  });
});
