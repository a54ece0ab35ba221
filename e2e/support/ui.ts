import { expect, type Locator, type Page } from '@playwright/test';

/**
 * A text field by its exact accessible name. `getByLabel` would also match "Confirm new password" for "New password"
 * and the visibility toggle of a password field.
 */
export function field(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('textbox', { name, exact: true });
}

/** Signs in through the form (the first step: email and password). */
export async function fillSignIn(
  page: Page,
  credentials: { email: string; password: string },
): Promise<void> {
  await field(page, 'Email').fill(credentials.email);
  await field(page, 'Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Types a 6-digit code into the code boxes; the form submits on the sixth digit. */
export async function typeTotpCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Authentication code, digit 1 of 6').click();
  await page.keyboard.type(code);
}

/** Opens the header's account menu and signs out; the app lands on /sign-in. */
export async function signOutViaUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account menu for/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

/** The header's account menu button, present only when signed in. */
export function accountMenu(page: Page) {
  return page.getByRole('button', { name: /^Account menu for/ });
}
