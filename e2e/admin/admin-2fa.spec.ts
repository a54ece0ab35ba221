import { expect, test } from '@playwright/test';
import { resetTwoFactor } from '../support/db';
import { BOOTSTRAP_ADMIN } from '../support/env';
import { saveFullPageScreenshot, saveViewportScreenshot } from '../support/screenshots';
import { secretFromDisplay, totpCode } from '../support/totp';
import { accountMenu, field, fillSignIn, signOutViaUi, typeTotpCode } from '../support/ui';

test.describe('admin two-factor journey', () => {
  // Enrols, signs in twice with codes and looks around: a few time steps' worth of work.
  test.setTimeout(90_000);

  test('is walked through enrolment, then reaches users and audit, and needs a code at the next sign-in', async ({
    page,
  }) => {
    // The bootstrap admin starts un-enrolled, whatever an earlier attempt of this test left behind.
    await resetTwoFactor(BOOTSTRAP_ADMIN.email);
    await page.emulateMedia({ colorScheme: 'light' });

    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin%2Fusers$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    // This server did not seed the demo accounts (only `pnpm dev` does), so the sign-in page does not offer them.
    await expect(page.getByTestId('demo-accounts')).toHaveCount(0);
    await saveFullPageScreenshot(page, 'sign-in-light');

    await fillSignIn(page, BOOTSTRAP_ADMIN);

    // Enrolment comes first, and nothing else is reachable until it is done.
    await expect(page).toHaveURL(/\/setup-2fa\?next=%2Fadmin%2Fusers$/);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' }),
    ).toBeVisible();
    await page.goto('/account');
    await expect(page).toHaveURL(/\/setup-2fa\?next=%2Faccount$/);
    await page.goto('/setup-2fa?next=%2Fadmin%2Fusers');

    await page.getByRole('button', { name: 'I have an app, continue' }).click();
    const secretText = await page.getByTestId('totp-secret').textContent();
    const secret = secretFromDisplay(secretText ?? '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByTestId('totp-qr')).toBeVisible();
    await saveFullPageScreenshot(page, 'setup-2fa-light');

    await typeTotpCode(page, totpCode(secret));

    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await expect(codes).toHaveCount(10);
    await expect(codes.first()).toHaveText(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const finish = page.getByRole('button', { name: 'Continue to Tradepool' });
    await expect(finish).toBeDisabled();
    await saveFullPageScreenshot(page, 'setup-2fa-recovery-codes-light');
    await page.getByLabel('I have saved these recovery codes somewhere safe').check();
    await finish.click();

    // On to where the admin was going, with a complete session.
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    const users = page.getByTestId('users-table');
    await expect(users).toContainText(BOOTSTRAP_ADMIN.email);
    await expect(page.getByTestId('users-count')).toContainText(/of \d+ users?/);
    await saveFullPageScreenshot(page, 'admin-users-light');

    // Search narrows the list (debounced, kept in the URL).
    await field(page, 'Search').fill('admin@e2e');
    await expect(page).toHaveURL(/q=admin%40e2e/);
    await expect(users.getByRole('row')).toHaveCount(2);

    await page
      .getByRole('navigation', { name: 'Administration' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('chain-status')).toContainText(/Chain intact \(\d+ entries\)/);
    const audit = page.getByTestId('audit-table');
    await expect(audit).toContainText('user.totp_enabled');
    await audit
      .getByRole('button', { name: /^Show details of entry/ })
      .first()
      .click();
    await expect(page.getByTestId('audit-details')).toContainText('Previous hash');
    await saveFullPageScreenshot(page, 'admin-audit-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await saveFullPageScreenshot(page, 'admin-audit-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await signOutViaUi(page);

    // Enrolled now: the password alone is not enough.
    await fillSignIn(page, BOOTSTRAP_ADMIN);
    await expect(page.getByRole('heading', { level: 1, name: 'Two-factor authentication' })).toBeVisible();
    await typeTotpCode(page, '000000');
    await expect(page.getByText('That code is not valid')).toBeVisible();
    await typeTotpCode(page, totpCode(secret));
    await expect(accountMenu(page)).toHaveAccessibleName('Account menu for Administrator');
    // Staff land on the admin overview, not the investor dashboard.
    await expect(page).toHaveURL(/\/admin$/);
  });
});

test.describe('admin pages on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('sign-in and two-factor step fit a small screen', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await saveViewportScreenshot(page, 'sign-in-mobile');
  });
});
