import { expect, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { createPoolViaApi, publishPoolViaApi, seedManagerWithToken, uniquePoolName } from '../support/pools';

test.describe('live pool status', () => {
  test('an investor sees a pool go active without reloading', async ({ page, browser }) => {
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await createPoolViaApi(manager, token, { name: uniquePoolName('E2E Live') });

    await signUpViaApi(page.request, { displayName: 'Lena Live' });
    await page.goto(`/pools/${pool.id}`);
    await expect(page.getByRole('heading', { level: 1, name: pool.name })).toBeVisible();
    const badge = page.getByTestId('pool-status').first();
    await expect(badge).toHaveText('Pending');
    // In the pool's room: from here on every event reaches the page.
    await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('pool-countdown').first()).toContainText(/\dd \d\dh/);

    // A marker that a reload would wipe out.
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    await publishPoolViaApi(manager, token, pool.id);

    await expect(page.getByText(`${pool.name} is now active`)).toBeVisible();
    await expect(badge).toHaveText('Active');
    await expect(page.getByTestId('pool-history')).toContainText('Pending → Active');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await managerContext.close();
  });

  test('the pools list follows status changes live', async ({ page, browser }) => {
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await createPoolViaApi(manager, token, { name: uniquePoolName('E2E List') });
    // More pools than a browser has connections to one origin (six): the list must not hold a stream per pool open
    // over SSE, or the page's own requests queue behind them (the socket.io fallback's code among them).
    for (let i = 0; i < 7; i++) {
      await createPoolViaApi(manager, token, { name: uniquePoolName('E2E List extra') });
    }

    await signUpViaApi(page.request);
    await page.goto('/pools');
    const card = page.getByTestId('pool-card').filter({ hasText: pool.name });
    await expect(card.getByTestId('pool-status')).toHaveText('Pending');
    await expect(card.getByTestId('pool-countdown')).toContainText('Starts in');
    // One socket carries the list's streams, and says so.
    await expect(page.getByTestId('realtime-status')).toHaveAttribute('data-path', 'socket.io');
    await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');

    await publishPoolViaApi(manager, token, pool.id);
    await expect(card.getByTestId('pool-status')).toHaveText('Active');
    await expect(card.getByTestId('pool-countdown')).toContainText('Ends in');

    // The status filter is in the URL and narrows the list.
    await page.getByRole('group', { name: 'Status' }).getByText('Pending', { exact: true }).click();
    await expect(page).toHaveURL(/status=PENDING/);
    await expect(card).toHaveCount(0);
    await managerContext.close();
  });
});
