import { expect, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { sendModelEvent } from '../support/model-webhook';
import {
  backPoolViaApi,
  createPoolViaApi,
  publishPoolViaApi,
  seedManagerWithToken,
  uniquePoolName,
} from '../support/pools';

test.describe('live trading dashboard', () => {
  test('a trade and a PnL report from the model appear without reloading', async ({ page, browser }) => {
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await createPoolViaApi(manager, token, { name: uniquePoolName('E2E Trading') });
    // $10,000 raised while pending is the capital the model trades once the pool starts.
    await backPoolViaApi(browser, pool.id, [1_000_000]);
    await publishPoolViaApi(manager, token, pool.id);

    await signUpViaApi(page.request, { displayName: 'Theo Trader' });
    await page.goto(`/pools/${pool.id}`);
    await expect(page.getByTestId('pool-status').first()).toHaveText('Active');
    await expect(page.getByTestId('pool-trades-empty')).toBeVisible();
    await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    // Trade notifications are opt-in per person: this investor asks for them.
    await page.getByRole('switch', { name: 'Notify me of new trades' }).check();

    // The contract's seed payload (CONTRACT.md §4).
    await sendModelEvent(manager, {
      event: 'trade_executed',
      poolId: pool.id,
      data: { side: 'BUY', quantity: 1, symbol: 'BTC/USDT', price: 45000 },
    });
    const trade = page.getByTestId('trade-row').first();
    await expect(trade).toContainText('BUY');
    await expect(trade).toContainText('BTC/USDT');
    await expect(trade).toContainText('45,000');
    await expect(page.getByText(`New trade in ${pool.name}`)).toBeVisible();

    // The model reports cumulative PnL on the $10,000 capital; the equity it adds is checked against capital + PnL.
    await sendModelEvent(manager, {
      event: 'pnl_update',
      poolId: pool.id,
      data: { equity: '10500.25', realizedPnl: '300', unrealizedPnl: '200.25' },
    });
    await expect(page.getByTestId('pool-equity-value')).toHaveText('$10,500.25');
    // The chart takes the point: the empty state gives way to a chart.
    await expect(page.getByTestId('pool-chart-empty')).toHaveCount(0);
    await expect(page.getByTestId('pool-chart')).toContainText('+$300.00');

    // The model's heartbeat and status message.
    await sendModelEvent(manager, {
      event: 'pool_update',
      poolId: pool.id,
      data: { message: 'Trend intact, holding exposure', metrics: { sharpe: 1.42, winRate: 0.58 } },
    });
    await expect(page.getByTestId('model-message')).toHaveText('Trend intact, holding exposure');
    await expect(page.getByTestId('model-metrics')).toContainText('Win rate');
    await expect(page.getByTestId('heartbeat-state')).toHaveAttribute('data-state', 'fresh');

    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await managerContext.close();
  });
});
