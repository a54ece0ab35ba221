import { expect, test } from '@playwright/test';
import { seedStaff, signUpViaApi } from '../support/accounts';
import { saveFullPageScreenshot } from '../support/screenshots';
import { trpcMutation, trpcQuery } from '../support/trpc-http';
import {
  createPool,
  dismissNotifications,
  fundInvestor,
  postPnlUpdate,
  seedManager,
  waitForPoolStatus,
} from './money-helpers';

interface Investment {
  id: string;
  poolId: string;
  status: string;
  payoutCents: number | null;
  feeCents: number | null;
}

function usd(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

test.describe('settlement and withdrawal', () => {
  test('a pool settles through the admin dialog, then a withdrawal is requested, approved and paid', async ({
    page,
    browser,
  }) => {
    test.setTimeout(180_000);
    const baseURL = test.info().project.use.baseURL;
    await page.emulateMedia({ colorScheme: 'light' });

    // The investor (this page) is subscribed and funded, then invests while the pool is still raising.
    const investor = await signUpViaApi(page.request, { displayName: 'Sam Settle' });
    const investorToken = investor.session.accessToken;
    await fundInvestor(page.request, investorToken, 100_000);

    // A pool whose start, end and settle dates are seconds away: the scheduler (every 2 s here) moves it along.
    const managerContext = await browser.newContext({ baseURL });
    const { token: managerToken } = await seedManager(managerContext.request);
    const now = Date.now();
    const name = `Settle Journey ${now.toString(36)}`;
    const pool = await createPool(
      managerContext.request,
      managerToken,
      {
        startDate: new Date(now + 8_000),
        endDate: new Date(now + 12_000),
        settleDate: new Date(now + 14_000),
      },
      { name, minInvestmentCents: 5_000 },
    );
    await trpcMutation(
      page.request,
      'investments.create',
      { poolId: pool.id, amountCents: 40_000 },
      { token: investorToken },
    );
    await waitForPoolStatus(managerContext.request, managerToken, pool.id, 'SETTLING', 90_000);
    // The model's last word: $40 of trading result on $400 of capital, so the pool is worth $440 (before the fee).
    await postPnlUpdate(managerContext.request, pool.id, '40.00');
    await managerContext.close();

    // An admin settles it through the pools page's settle dialog.
    const adminContext = await browser.newContext({ baseURL });
    await seedStaff(adminContext.request, 'ADMIN', 'E2E Money Admin');
    const admin = await adminContext.newPage();
    await admin.emulateMedia({ colorScheme: 'light' });
    await admin.goto('/admin/pools?status=SETTLING');
    const poolRow = admin.getByTestId('admin-pools-table').getByRole('row').filter({ hasText: name });
    await poolRow.getByRole('button', { name: 'Settle…' }).click();
    const settleDialog = admin.getByRole('dialog', { name: `Settle ${name}`, exact: true });
    await expect(settleDialog.getByTestId('settlement-summary')).toContainText('$440.00');
    await settleDialog.getByRole('button', { name: 'Settle…' }).click();
    await admin
      .getByRole('dialog', { name: `Settle ${name}?` })
      .getByRole('button', { name: 'Settle and pay out' })
      .click();
    await expect(admin.getByText(`${name} settled`)).toBeVisible();
    await expect(settleDialog).toBeHidden();
    await waitForPoolStatus(page.request, investorToken, pool.id, 'SETTLED', 15_000);

    // The investor sees the settled position: its payout and fee, as the server computed them.
    const { items } = await trpcQuery<{ items: Investment[] }>(page.request, 'investments.list', undefined, {
      token: investorToken,
    });
    const settled = items.find((item) => item.poolId === pool.id);
    expect(settled?.status).toBe('SETTLED');
    const payout = settled?.payoutCents ?? 0;
    expect(payout).toBeGreaterThan(40_000);
    await page.goto('/portfolio');
    const position = page.getByTestId('position-row').filter({ hasText: name });
    await expect(position).toContainText('Settled');
    await expect(position.getByTestId('position-value')).toContainText(usd(payout));
    await expect(position).toContainText(`paid out, fee ${usd(settled?.feeCents ?? 0)}`);
    await expect(position.getByTestId('position-pnl')).toContainText(`+${usd(payout - 40_000)}`);

    // The investor asks for $250: held at once.
    const balance = 100_000 - 40_000 + payout;
    await page.goto('/withdrawals');
    await expect(page.getByTestId('withdraw-available')).toHaveText(usd(balance));
    await page.getByRole('textbox', { name: 'Amount' }).fill('250');
    // Where to pay it: an IBAN (checked) and the account holder.
    await page.getByRole('textbox', { name: 'Pay to' }).fill('DE89 3704 0044 0532 0130 00, E2E Investor');
    await page.getByRole('button', { name: 'Request $250.00' }).click();
    await expect(page.getByText('Withdrawal requested')).toBeVisible();
    await expect(page.getByTestId('withdraw-available')).toHaveText(usd(balance - 25_000));
    const mine = page.getByTestId('withdrawal-row').filter({ hasText: '$250.00' });
    await expect(mine).toHaveAttribute('data-status', 'REQUESTED');
    await expect(mine.getByRole('button', { name: /^Cancel the withdrawal/ })).toBeVisible();
    await dismissNotifications(page);
    await saveFullPageScreenshot(page, 'withdrawals-light');

    // The admin approves it from the queue…
    await admin.goto('/admin/withdrawals');
    const request = admin.getByTestId('admin-withdrawal-row').filter({ hasText: investor.email });
    await expect(request).toHaveAttribute('data-status', 'REQUESTED');
    await expect(request).toContainText('$250.00');
    await request.getByRole('button', { name: `Approve $250.00 for ${investor.email}` }).click();
    await admin
      .getByRole('dialog', { name: `Approve $250.00 for ${investor.email}?` })
      .getByRole('button', { name: 'Approve' })
      .click();
    await expect(admin.getByText('Withdrawal approved')).toBeVisible();
    await expect(request).toHaveAttribute('data-status', 'APPROVED');
    await dismissNotifications(admin);
    await saveFullPageScreenshot(admin, 'admin-withdrawals-light');

    // …the investor's page follows live…
    await expect(mine).toHaveAttribute('data-status', 'APPROVED');

    // …and the admin records the bank payout.
    await request.getByRole('button', { name: `Mark $250.00 for ${investor.email} as paid` }).click();
    const paid = admin.getByRole('dialog', { name: 'Mark withdrawal as paid' });
    // The admin who pays sees where to send the money.
    await expect(paid.getByTestId('paid-destination')).toContainText(
      'DE89 3704 0044 0532 0130 00, E2E Investor',
    );
    await paid.getByRole('button', { name: 'Mark as paid' }).click();
    await expect(paid.getByText('Enter the bank transfer reference')).toBeVisible();
    await paid.getByLabel('Payout reference').fill('E2E-PAYOUT-0001');
    await paid.getByRole('button', { name: 'Mark as paid' }).click();
    await expect(admin.getByText('Marked as paid')).toBeVisible();
    await expect(request).toHaveCount(0);
    await admin.goto('/admin/withdrawals?status=PAID');
    await expect(request).toHaveAttribute('data-status', 'PAID');
    await expect(request).toContainText('E2E-PAYOUT-0001');

    // The investor sees it paid, without reloading.
    await expect(mine).toHaveAttribute('data-status', 'PAID');
    await expect(mine).toContainText('E2E-PAYOUT-0001');

    // The books balance, and the mail about it went out.
    await admin.goto('/admin/ledger');
    await expect(admin.getByTestId('ledger-check')).toHaveAttribute('data-state', 'balanced');
    await expect(admin.getByTestId('ledger-check')).toContainText('The books balance');
    await saveFullPageScreenshot(admin, 'ledger-light');
    // The outbox has its own admin page.
    await admin.getByRole('link', { name: 'Mail outbox' }).click();
    await expect(admin).toHaveURL(/\/admin\/mail$/);
    const outbox = admin.getByTestId('mail-outbox');
    await expect(outbox.getByRole('row').filter({ hasText: investor.email }).first()).toBeVisible();
    await outbox
      .getByRole('button', { name: `Read “Withdrawal paid: $250.00” to ${investor.email}` })
      .click();
    await expect(admin.getByRole('dialog', { name: 'Withdrawal paid: $250.00' })).toContainText(
      'E2E-PAYOUT-0001',
    );
    await admin.keyboard.press('Escape');

    // The overview's money figures count what is still open.
    await admin.goto('/admin');
    await expect(admin.getByTestId('money-summary')).toBeVisible();
    await expect(admin.getByTestId('summary-aum')).toContainText('$');
    await expect(admin.getByTestId('summary-withdrawals')).toContainText('request');
    await saveFullPageScreenshot(admin, 'admin-overview-money-light');
    await adminContext.close();
  });
});
