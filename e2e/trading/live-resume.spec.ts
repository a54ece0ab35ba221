import { expect, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { sendModelEvent } from '../support/model-webhook';
import { createPoolViaApi, publishPoolViaApi, seedManagerWithToken, uniquePoolName } from '../support/pools';

test.describe('live trading dashboard, connection lost', () => {
  test('resumes from the last event after a reconnect: what happened meanwhile arrives once', async ({
    page,
    browser,
  }) => {
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await createPoolViaApi(manager, token, { name: uniquePoolName('E2E Resume') });
    await publishPoolViaApi(manager, token, pool.id);

    await signUpViaApi(page.request);
    await page.goto(`/pools/${pool.id}`);
    const live = page.getByTestId('pool-live-status');
    await expect(live).toHaveAttribute('data-state', 'connected');
    const trade = (price: number) =>
      sendModelEvent(manager, {
        event: 'trade_executed',
        poolId: pool.id,
        data: { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price },
      });
    // One event seen live: the page now knows the last event id of this pool.
    await trade(45000);
    await expect(page.getByTestId('trade-row')).toHaveCount(1);

    await page.context().setOffline(true);
    await expect(live).not.toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await trade(45100);
    await trade(45200);
    await page.context().setOffline(false);

    await expect(live).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    const rows = page.getByTestId('trade-row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('45,200');
    await expect(rows.nth(1)).toContainText('45,100');
    await managerContext.close();
  });
});
