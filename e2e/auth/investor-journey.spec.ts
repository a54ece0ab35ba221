import { expect, test } from '@playwright/test';
import { signInViaApi, signUpViaApi, uniqueEmail } from '../support/accounts';
import { saveFullPageScreenshot } from '../support/screenshots';
import { accountMenu, field, fillSignIn, signOutViaUi } from '../support/ui';

test.describe('investor journey', () => {
  test('signs up, signs out, signs back in and manages the account', async ({ page }) => {
    // Two browsers or tabs and a dozen steps: 10–20 s alone, but past 30 s when the machine is loaded (the failed runs'
    // traces show the browser starved, 7 s to fill a field, with every server answer under 0.5 s).
    test.setTimeout(60_000);
    const email = uniqueEmail('alice');
    const password = 'correct horse battery staple';

    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    await page.getByRole('link', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/sign-up$/);
    await expect(page).toHaveTitle('Create your account · Tradepool');

    // The form checks what it can before asking the server.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Enter a valid email address')).toBeVisible();

    await field(page, 'Name').fill('Alice Example');
    await field(page, 'Email').fill(email);
    await field(page, 'Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    // Lands signed in, on the overview, with live updates connected.
    await expect(page).toHaveURL(/\/$/);
    await expect(accountMenu(page)).toHaveAccessibleName('Account menu for Alice Example');
    await expect(page.getByTestId('realtime-status')).toHaveAttribute('data-state', 'connected');
    // An investor sees no administration.
    await expect(page.getByRole('navigation', { name: 'Administration' })).toHaveCount(0);

    await signOutViaUi(page);
    await expect(page.getByTestId('realtime-status')).toHaveCount(0);

    // A guarded page sends a signed-out visitor to sign in, and back afterwards.
    await page.goto('/account');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount$/);
    await expect(page.getByTestId('sign-in-next')).toBeVisible();
    await fillSignIn(page, { email, password });
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Account and security' })).toBeVisible();
    await expect(page).toHaveTitle('Account · Tradepool');

    // Profile: the new name shows in the header at once.
    const profile = page.getByTestId('profile-section');
    await expect(profile).toContainText(email);
    await field(profile, 'Display name').fill('Alice Renamed');
    await profile.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Profile saved')).toBeVisible();
    await expect(accountMenu(page)).toHaveAccessibleName('Account menu for Alice Renamed');

    // Sessions: the sign-up session ended at sign-out; this one is listed as this device.
    const sessions = page.getByTestId('sessions-table');
    await expect(sessions.getByRole('row')).toHaveCount(2);
    await expect(sessions.getByTestId('this-device')).toBeVisible();
    // Playwright's desktop Chrome presents itself as Chrome on Windows.
    await expect(sessions).toContainText(/Chrome on (Windows|Linux)/);
    await expect(sessions).toContainText('127.0.0.1');
    await expect(sessions).not.toContainText('::ffff:');

    await expect(page.getByTestId('two-factor-status')).toHaveText('Off');
    await saveFullPageScreenshot(page, 'account-light');

    // A reload restores the session from the httpOnly cookie: still here, never bounced to sign-in.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Account and security' })).toBeVisible();
    await expect(page).toHaveURL(/\/account$/);

    await signOutViaUi(page);
  });

  test('explains refusals on the sign-in and sign-up forms', async ({ page, request }) => {
    const { email, password } = await signUpViaApi(request);

    await page.goto('/sign-in');
    await fillSignIn(page, { email, password: 'not the password' });
    await expect(page.getByRole('alert')).toContainText('Invalid email or password');
    await expect(accountMenu(page)).toHaveCount(0);

    await page.goto('/sign-up');
    await field(page, 'Email').fill(email);
    await field(page, 'Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('An account with this email already exists')).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up$/);
  });

  test('counts down when sign-in is throttled', async ({ page, request }) => {
    const { email } = await signUpViaApi(request);
    // LOGIN_FAILURES_PER_15_MIN (10 by default) failures lock this account's sign-in for a while.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await signInViaApi(request, { email, password: 'wrong password' }).catch(() => undefined);
    }
    await page.goto('/sign-in');
    await fillSignIn(page, { email, password: 'wrong password again' });
    await expect(page.getByTestId('throttled')).toContainText(/Try again in \d+ minutes?/);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeDisabled();
  });

  test('keeps tabs of one browser in step', async ({ context }) => {
    // Two browsers or tabs and a dozen steps: 10–20 s alone, but past 30 s when the machine is loaded (the failed runs'
    // traces show the browser starved, 7 s to fill a field, with every server answer under 0.5 s).
    test.setTimeout(60_000);
    const account = await signUpViaApi(context.request, { displayName: 'Tab Tester' });
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto('/account');
    await second.goto('/');
    await expect(accountMenu(first)).toBeVisible();
    await expect(accountMenu(second)).toBeVisible();

    // Both tabs renew from the same rotating cookie at once: they must take turns, or the second would spend a
    // token the first just spent, and reuse detection would end the session.
    await Promise.all([first.reload(), second.reload()]);
    await expect(accountMenu(first)).toHaveAccessibleName('Account menu for Tab Tester');
    await expect(accountMenu(second)).toHaveAccessibleName('Account menu for Tab Tester');
    await expect(first.getByTestId('sessions-table').getByRole('row')).toHaveCount(2);

    // Signing out in one tab signs out the others, saying why.
    await signOutViaUi(second);
    await expect(first.getByText('You signed out in another tab.')).toBeVisible();
    await expect(first).toHaveURL(/\/sign-in\?next=%2Faccount$/);

    // Signing in again in one tab brings the others back.
    await fillSignIn(second, account);
    await expect(accountMenu(second)).toBeVisible();
    await expect(first).toHaveURL(/\/account$/);
    await expect(accountMenu(first)).toBeVisible();
  });

  test('changes the password, staying signed in on this device only', async ({ page, browser }) => {
    // Two browsers or tabs and a dozen steps: 10–20 s alone, but past 30 s when the machine is loaded (the failed runs'
    // traces show the browser starved, 7 s to fill a field, with every server answer under 0.5 s).
    test.setTimeout(60_000);
    const account = await signUpViaApi(page.request, { displayName: 'Pat Password' });
    const newPassword = 'a brand new passphrase';

    // A second browser signed in as the same person: changing the password must end that session.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto('/sign-in');
    await fillSignIn(otherPage, account);
    await expect(accountMenu(otherPage)).toBeVisible();
    await expect(otherPage.getByTestId('realtime-status')).toHaveAttribute('data-state', 'connected');

    await page.goto('/account');
    const form = page.getByTestId('password-section');
    await field(form, 'Current password').fill(account.password);
    await field(form, 'New password').fill(newPassword);
    await field(form, 'Confirm new password').fill('something else entirely');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByText('The two new passwords do not match')).toBeVisible();

    await field(form, 'Confirm new password').fill(newPassword);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('Password changed')).toBeVisible();

    // The other browser is told over its socket and signed out with a notification (the overview is public, so it
    // stays there, offering to sign in again).
    await expect(otherPage.getByText('You were signed out')).toBeVisible();
    await expect(accountMenu(otherPage)).toHaveCount(0);
    await expect(otherPage.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await other.close();

    // This device kept a working session, even across a reload.
    await page.reload();
    await expect(accountMenu(page)).toBeVisible();
    await expect(page.getByTestId('sessions-table').getByRole('row')).toHaveCount(2);
    await expect(page.getByTestId('realtime-status')).toHaveAttribute('data-state', 'connected');

    await signOutViaUi(page);
    await fillSignIn(page, { email: account.email, password: newPassword });
    await expect(accountMenu(page)).toHaveAccessibleName('Account menu for Pat Password');
  });

  test('shows a 403 page to an investor who opens the admin area', async ({ page }) => {
    await signUpViaApi(page.request);
    await page.goto('/admin');
    await expect(page.getByTestId('forbidden')).toContainText("You don't have access to this page");
    await expect(page).toHaveTitle('No access · Tradepool');
  });
});
