import { expect, type Page, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { saveFullPageScreenshot, saveViewportScreenshot } from '../support/screenshots';
import { trpcMutation } from '../support/trpc-http';
import {
  createPool,
  dismissNotifications,
  fundInvestor,
  postPnlUpdate,
  publishPool,
  seedManager,
} from './money-helpers';

const HOUR = 3_600_000;

/** A trading pool (ACTIVE at once), made through the API by a manager in a context of its own. */
async function openTradingPool(page: Page, name: string) {
  const context = await page.context().browser()?.newContext({ baseURL: test.info().project.use.baseURL });
  if (!context) {
    throw new Error('no browser');
  }
  const { token } = await seedManager(context.request);
  const now = Date.now();
  const pool = await createPool(
    context.request,
    token,
    { startDate: new Date(now + HOUR), endDate: new Date(now + 48 * HOUR) },
    { name, targetAmountCents: 1_000_000, minInvestmentCents: 5_000 },
  );
  await publishPool(context.request, token, pool.id);
  return { pool, context };
}

test.describe('investor money journey', () => {
  test('subscribes, deposits, invests through the dialog and watches the position move live', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: 'light' });
    await signUpViaApi(page.request, { displayName: 'Mona Money' });

    // Subscription: inactive at first, with the way to fix it; one demo payment makes it active.
    await page.goto('/subscription');
    const status = page.getByTestId('subscription-status');
    await expect(status).toHaveAttribute('data-active', 'false');
    await expect(status).toContainText('No active subscription');
    await expect(status.getByTestId('demo-payment-label')).toBeVisible();
    await page.getByTestId('subscribe-button').click();
    await expect(page.getByText('Subscription active').first()).toBeVisible();
    await expect(status).toHaveAttribute('data-active', 'true');
    await expect(status).toContainText('Active until');
    await expect(page.getByTestId('subscription-periods').getByRole('row')).toHaveCount(2);
    await expect(page.getByTestId('subscription-periods')).toContainText('$2.00');
    await dismissNotifications(page);
    await saveFullPageScreenshot(page, 'subscription-light');

    // Wallet: a demo deposit through the dialog, labelled as such, and its line in the history.
    await page.getByRole('navigation', { name: 'You' }).getByRole('link', { name: 'Wallet' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Wallet' })).toBeVisible();
    await expect(page.getByTestId('wallet-balance-value')).toHaveText('$0.00');
    await page.getByRole('button', { name: 'Deposit', exact: true }).first().click();
    const deposit = page.getByRole('dialog', { name: 'Deposit money' });
    await expect(deposit.getByText('Demo payment').first()).toBeVisible();
    await deposit.getByRole('textbox', { name: 'Amount' }).fill('500');
    await saveViewportScreenshot(page, 'deposit-dialog-light');
    await deposit.getByRole('button', { name: 'Deposit $500.00' }).click();
    await expect(page.getByText('Deposit received')).toBeVisible();
    await expect(deposit).toBeHidden();
    await expect(page.getByTestId('wallet-balance-value')).toHaveText('$500.00');
    const history = page.getByTestId('wallet-history');
    await expect(history.getByRole('row').filter({ hasText: 'Deposit' })).toContainText('+$500.00');
    await expect(history.getByTestId('demo-payment-label')).toBeVisible();
    await dismissNotifications(page);
    await saveFullPageScreenshot(page, 'wallet-light');

    // A pool trading now.
    const poolName = `Money Journey ${Date.now().toString(36)}`;
    const { pool, context: managerContext } = await openTradingPool(page, poolName);

    // Invest through the pool page's dialog: the facts, the shares preview, then the investment.
    await page.goto(`/pools/${pool.id}`);
    await page.getByTestId('invest-button').click();
    const dialog = page.getByRole('dialog', { name: `Invest in ${poolName}` });
    await expect(dialog.getByTestId('invest-minimum')).toHaveText('$50.00');
    await expect(dialog.getByTestId('invest-capacity')).toHaveText('$10,000.00');
    await expect(dialog.getByTestId('invest-balance')).toHaveText('$500.00');
    // Too much for the wallet: said before asking.
    await dialog.getByRole('textbox', { name: 'Amount to invest' }).fill('800');
    await dialog.getByRole('textbox', { name: 'Amount to invest' }).blur();
    await expect(dialog).toContainText('More than your balance of $500.00');
    await dialog.getByRole('textbox', { name: 'Amount to invest' }).fill('200');
    await expect(dialog.getByTestId('invest-shares')).toHaveText('200.00 shares');
    await expect(dialog.getByTestId('invest-nav')).toHaveText('$1.000000');
    await saveViewportScreenshot(page, 'invest-dialog-light');
    await dialog.getByRole('button', { name: 'Invest $200.00' }).click();
    await expect(page.getByText('Investment made')).toBeVisible();
    await expect(dialog).toBeHidden();
    const position = page.getByTestId('pool-position-button');
    await expect(position).toContainText('$200.00');
    await dismissNotifications(page);
    await position.click();
    await expect(page.getByTestId('pool-position').getByTestId('position-shares')).toHaveText('200.00');
    await saveViewportScreenshot(page, 'pool-position-light');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('pool-position')).toBeHidden();

    // The portfolio values the position at the pool's live NAV.
    await page.goto('/portfolio');
    const row = page.getByTestId('position-row').filter({ hasText: poolName });
    await expect(row.getByTestId('position-value')).toHaveText('$200.00');
    await expect(page.getByTestId('portfolio-value-value')).toHaveText('$200.00');
    await expect(page.getByTestId('portfolio-live')).toHaveAttribute('data-live', 'true');

    // The model reports a gain: the value follows without a reload. (Posted until the page's room is joined.)
    await expect(async () => {
      // $30 of trading result on the $200 of capital.
      await postPnlUpdate(managerContext.request, pool.id, '30.00');
      await expect(row.getByTestId('position-value')).toHaveText('$230.00', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(row.getByTestId('position-pnl')).toContainText('+$30.00');
    await expect(row.getByTestId('position-pnl')).toContainText('+15.00%');
    await expect(page.getByTestId('portfolio-value-value')).toHaveText('$230.00');
    await expect(page.getByTestId('allocation-card')).toContainText(poolName);
    await dismissNotifications(page);
    await saveFullPageScreenshot(page, 'portfolio-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: /^Color scheme/ }).click();
    await page.getByRole('menuitem', { name: /Dark/ }).click();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await saveFullPageScreenshot(page, 'portfolio-dark');

    // The signed-in home sums it up.
    await page.goto('/');
    await expect(page.getByTestId('summary-wallet')).toContainText('$300.00');
    await expect(page.getByTestId('summary-subscription')).toContainText('Active');
    await expect(page.getByTestId('summary-portfolio')).toContainText('$230.00');
    await managerContext.close();
  });

  test('the invest dialog explains a missing subscription', async ({ page, browser }) => {
    const investor = await signUpViaApi(page.request, { displayName: 'Nico Nosub' });
    await trpcMutation(
      page.request,
      'wallet.deposit',
      { amountCents: 10_000 },
      { token: investor.session.accessToken },
    );
    const managerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const { token } = await seedManager(managerContext.request);
    const now = Date.now();
    const pool = await createPool(managerContext.request, token, {
      startDate: new Date(now + HOUR),
      endDate: new Date(now + 2 * HOUR),
    });
    await managerContext.close();

    await page.goto(`/pools/${pool.id}`);
    await page.getByTestId('invest-button').click();
    const dialog = page.getByRole('dialog', { name: `Invest in ${pool.name}` });
    await expect(dialog.getByTestId('invest-subscription-required')).toBeVisible();
    await page.emulateMedia({ colorScheme: 'light' });
    await saveViewportScreenshot(page, 'invest-dialog-no-subscription-light');
    await expect(dialog.getByRole('button', { name: /^Invest/ })).toBeDisabled();
    await dialog.getByRole('link', { name: 'Go to subscription' }).click();
    await expect(page).toHaveURL(/\/subscription$/);
    await expect(page.getByTestId('subscription-status')).toContainText('No active subscription');
  });

  test('the dialog follows the pool live when someone else takes the capacity', async ({ page, browser }) => {
    const investor = await signUpViaApi(page.request, { displayName: 'Cap Acity' });
    const managerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const { token } = await seedManager(managerContext.request);
    const now = Date.now();
    const pool = await createPool(
      managerContext.request,
      token,
      { startDate: new Date(now + HOUR), endDate: new Date(now + 2 * HOUR) },
      { targetAmountCents: 20_000, minInvestmentCents: 5_000 },
    );
    await fundInvestor(page.request, investor.session.accessToken, 50_000);
    const other = await signUpViaApi(managerContext.request, { displayName: 'Early Bird' });
    await fundInvestor(managerContext.request, other.session.accessToken, 50_000);

    await page.goto(`/pools/${pool.id}`);
    await page.getByTestId('invest-button').click();
    const dialog = page.getByRole('dialog', { name: `Invest in ${pool.name}` });
    await expect(dialog.getByTestId('invest-capacity')).toHaveText('$200.00');
    const amount = dialog.getByRole('textbox', { name: 'Amount to invest' });
    await amount.fill('150');
    await expect(dialog.getByRole('button', { name: 'Invest $150.00' })).toBeEnabled();

    // Someone else invests while the dialog is open: the capacity left changes under our eyes.
    await trpcMutation(
      managerContext.request,
      'investments.create',
      { poolId: pool.id, amountCents: 10_000 },
      { token: other.session.accessToken },
    );
    await managerContext.close();
    await expect(dialog.getByTestId('invest-capacity')).toHaveText('$100.00');
    await amount.blur();
    await expect(dialog).toContainText('Only $100.00 of capacity is left');
    await dialog.getByText('Max $100', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Invest $100.00' }).click();
    await expect(page.getByText('Investment made')).toBeVisible();
    await expect(page.getByTestId('pool-position-button')).toContainText('$100.00');
  });
});

test.describe('money pages on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the wallet fits a small screen', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const investor = await signUpViaApi(page.request, { displayName: 'Pocket Investor' });
    await fundInvestor(page.request, investor.session.accessToken, 12_345);
    await page.goto('/wallet');
    await expect(page.getByTestId('wallet-balance-value')).toHaveText('$123.45');
    await expect(page.getByTestId('wallet-history')).toBeVisible();
    await saveViewportScreenshot(page, 'wallet-mobile');
  });
});
