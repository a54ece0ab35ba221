import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { seedStaff, signUpViaApi } from '../support/accounts';
import { postModelEvent, sendModelEvent } from '../support/model-webhook';
import {
  backPoolViaApi,
  createPoolViaApi,
  type E2EPool,
  type PoolInput,
  publishPoolViaApi,
  seedManagerWithToken,
  uniquePoolName,
} from '../support/pools';
import { saveFullPageScreenshot, saveViewportScreenshot } from '../support/screenshots';

const MINUTE = 60_000;

/** A deterministic walk, so screenshots look the same run after run. */
function walk(points: number, start: number, seed: number): number[] {
  let state = seed;
  let value = start;
  const values: number[] = [];
  for (let i = 0; i < points; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    value *= 1 + (state / 2_147_483_648 - 0.46) * 0.004;
    values.push(value);
  }
  return values;
}

/**
 * An active pool with a history: NAV, positions, trades from the last hour and a status message from the model. The
 * PnL reports start when the pool does (before that it had no capital to gain or lose on, CONTRACT §6).
 */
async function seedTradingPool(
  browser: Browser,
  manager: APIRequestContext,
  token: string,
  input: Partial<PoolInput> & { name: string },
  backing: number[],
): Promise<E2EPool> {
  const pool = await createPoolViaApi(manager, token, input);
  await backPoolViaApi(browser, pool.id, backing);
  await publishPoolViaApi(manager, token, pool.id);
  // The capital started trading when the publish call was answered at the latest: reports stamped from then on see it.
  const startedAt = Date.now();
  const capital = backing.reduce((sum, amount) => sum + amount, 0) / 100;
  const now = Date.now();
  const equity = walk(36, capital, capital % 97);
  for (const [index, value] of equity.entries()) {
    // Cumulative PnL since the start, split realized/unrealized; `equity` is checked against capital + PnL.
    await sendModelEvent(manager, {
      event: 'pnl_update',
      poolId: pool.id,
      data: {
        equity: value.toFixed(2),
        realizedPnl: ((value - capital) * 0.6).toFixed(2),
        unrealizedPnl: ((value - capital) * 0.4).toFixed(2),
        at: new Date(startedAt + index * 1_000).toISOString(),
      },
    });
  }
  const trades = [
    { side: 'BUY', symbol: 'BTC/USDT', quantity: '0.18', price: '63850.50', minutesAgo: 52 },
    { side: 'BUY', symbol: 'ETH/USDT', quantity: '2.4', price: '3184.20', minutesAgo: 44 },
    { side: 'SELL', symbol: 'BTC/USDT', quantity: '0.05', price: '64120.00', minutesAgo: 31 },
    { side: 'BUY', symbol: 'BTC/USDT', quantity: '0.07', price: '63990.75', minutesAgo: 22 },
    { side: 'SELL', symbol: 'ETH/USDT', quantity: '0.8', price: '3201.90', minutesAgo: 12 },
    { side: 'BUY', symbol: 'ETH/USDT', quantity: '1.1', price: '3196.35', minutesAgo: 4 },
  ];
  for (const trade of trades) {
    await sendModelEvent(manager, {
      event: 'trade_executed',
      poolId: pool.id,
      data: {
        side: trade.side,
        symbol: trade.symbol,
        quantity: trade.quantity,
        price: trade.price,
        fee: ((Number(trade.quantity) * Number(trade.price)) / 1000).toFixed(2),
        tradeId: `e2e-${trade.minutesAgo}`,
        executedAt: new Date(now - trade.minutesAgo * MINUTE).toISOString(),
      },
    });
  }
  await sendModelEvent(manager, {
    event: 'position_update',
    poolId: pool.id,
    data: {
      symbol: 'BTC/USDT',
      quantity: '0.2',
      avgEntryPrice: '63921.40',
      markPrice: '64410.10',
      unrealizedPnl: '97.74',
    },
  });
  await sendModelEvent(manager, {
    event: 'position_update',
    poolId: pool.id,
    data: {
      symbol: 'ETH/USDT',
      quantity: '2.7',
      avgEntryPrice: '3188.60',
      markPrice: '3176.05',
      unrealizedPnl: '-33.89',
    },
  });
  await sendModelEvent(manager, {
    event: 'pool_update',
    poolId: pool.id,
    data: {
      message: 'Trend intact on BTC, trimming ETH as volatility rises.',
      metrics: { sharpe: 1.62, winRate: 0.57, exposure: 0.64, maxDrawdown: -0.031 },
    },
  });
  return pool;
}

async function seedShowcase(browser: Browser, manager: APIRequestContext, token: string) {
  const main = await seedTradingPool(
    browser,
    manager,
    token,
    { name: uniquePoolName('Momentum BTC'), strategy: 'MOMENTUM_BTC', pair: 'BTC/USDT' },
    [1_250_000, 800_000, 450_000],
  );
  const raising = await createPoolViaApi(manager, token, {
    name: uniquePoolName('Swing ETH'),
    strategy: 'SWING_ETH',
    pair: 'ETH/USDT',
    riskLevel: 'MEDIUM',
    targetAmountCents: 3_000_000,
    minInvestmentCents: 5_000,
    description: 'Multi-day Ether swings between support and resistance, sized by volatility.',
  });
  await backPoolViaApi(browser, raising.id, [900_000, 350_000]);
  await createPoolViaApi(manager, token, {
    name: uniquePoolName('Market Neutral'),
    strategy: 'MARKET_NEUTRAL',
    pair: 'BTC/ETH',
    riskLevel: 'LOW',
    targetAmountCents: 10_000_000,
    description: 'Long/short pairs with near-zero net exposure, aiming for steady returns in any market.',
  });
  return main;
}

async function openPool(page: Page, pool: E2EPool) {
  await page.goto(`/pools/${pool.id}`);
  await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('trade-row')).toHaveCount(6);
  await expect(page.getByTestId('pool-chart').locator('.recharts-area-area')).toBeVisible();
  await expect(page.getByTestId('model-message')).toBeVisible();
}

test.describe('pool screenshots', () => {
  test('pools list, pool page (light and dark), dashboard, integrations', async ({ page, browser }) => {
    test.setTimeout(90_000);
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await seedShowcase(browser, manager, token);

    await page.emulateMedia({ colorScheme: 'light' });
    await signUpViaApi(page.request, { displayName: 'Iris Investor' });
    await page.goto('/pools?status=PENDING,ACTIVE');
    await expect(page.getByTestId('pool-card').filter({ hasText: pool.name })).toBeVisible();
    await saveFullPageScreenshot(page, 'pools-list-light');

    await openPool(page, pool);
    await saveFullPageScreenshot(page, 'pool-page-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await saveFullPageScreenshot(page, 'pool-page-dark');

    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    await expect(page.getByTestId('watched-pool').filter({ hasText: pool.name })).toBeVisible();
    await saveFullPageScreenshot(page, 'dashboard-light');

    // A refused delivery, so the log shows both outcomes.
    expect(await postModelEvent(manager, { event: 'pnl_update', poolId: 'no-such-pool', data: {} })).toBe(
      400,
    );
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.emulateMedia({ colorScheme: 'light' });
    await seedStaff(admin.request, 'ADMIN');
    await admin.goto('/admin/integrations');
    await expect(admin.getByTestId('deliveries-table')).toBeVisible();
    await expect(admin.getByTestId('webhook-url')).toHaveValue(/\/api\/v1\/webhook\/model$/);
    await expect(admin.getByTestId('heartbeats-table')).toContainText(pool.name);
    await saveFullPageScreenshot(admin, 'admin-integrations-light');
    await admin.goto('/admin');
    await expect(admin.getByTestId('ingest-overview')).toBeVisible();
    await expect(admin.getByTestId('last-delivery-per-pool')).toContainText(pool.name);
    await saveFullPageScreenshot(admin, 'admin-overview-ingest-light');
    await adminContext.close();
    await managerContext.close();
  });
});

test.describe('pool screenshots on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('pool page and list', async ({ page, browser }) => {
    test.setTimeout(90_000);
    const managerContext = await browser.newContext();
    const manager = managerContext.request;
    const token = await seedManagerWithToken(manager);
    const pool = await seedTradingPool(
      browser,
      manager,
      token,
      {
        name: uniquePoolName('Breakout Altcoins'),
        strategy: 'BREAKOUT_ALTCOINS',
        pair: 'ALT/USDT',
        riskLevel: 'HIGH',
      },
      [600_000, 400_000],
    );
    await page.emulateMedia({ colorScheme: 'light' });
    await signUpViaApi(page.request);
    await openPool(page, pool);
    await saveViewportScreenshot(page, 'pool-page-mobile');
    await saveFullPageScreenshot(page, 'pool-page-mobile-full');
    await page.goto('/pools?status=ACTIVE');
    await expect(page.getByTestId('pool-card').filter({ hasText: pool.name })).toBeVisible();
    await saveViewportScreenshot(page, 'pools-list-mobile');
    await managerContext.close();
  });
});
