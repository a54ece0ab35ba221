import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { seedStaff, signUpViaApi } from '../support/accounts';
import { sendModelEvent } from '../support/model-webhook';
import {
  createPoolViaApi,
  type E2EPool,
  publishPoolViaApi,
  seedManagerWithToken,
  uniquePoolName,
} from '../support/pools';
import { trpcMutation } from '../support/trpc-http';

/**
 * Every page of both roles at a phone's width (390 px) and a laptop's (1440 px): nothing wider than the screen (no
 * sideways scrolling), no console error, and on the pool page the same figure reads the same in every card. A
 * full-page screenshot of each page goes to e2e/test-results/ux/ (kept as a CI artifact) for people to look at.
 */

// UX_SHOTS_DIR: somewhere else, for a local run beside other Playwright runs that clean test-results/.
const SHOTS = process.env.UX_SHOTS_DIR ?? fileURLToPath(new URL('../test-results/ux/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, mobile: true },
  { name: 'desktop', width: 1440, height: 900, mobile: false },
] as const;

/** Collects console errors and uncaught exceptions for the whole test. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

/** A pool that trades, with a history of reports, trades, two positions and a model status. */
async function seedTradingPool(
  browser: Browser,
  manager: APIRequestContext,
  token: string,
): Promise<E2EPool> {
  const pool = await createPoolViaApi(manager, token, {
    name: uniquePoolName('Layout BTC'),
    strategy: 'MOMENTUM_BTC',
    pair: 'BTC/USDT',
    description:
      'Trend following on Bitcoin with volatility-scaled position sizes and a hard stop per trade.',
  });
  const backer = await browser.newContext();
  const investor = await signUpViaApi(backer.request, { displayName: 'Layout Backer' });
  const auth = { token: investor.session.accessToken };
  await trpcMutation(backer.request, 'wallet.deposit', { amountCents: 1_000_000 }, auth);
  await trpcMutation(backer.request, 'subscription.subscribe', undefined, auth);
  await trpcMutation(backer.request, 'investments.create', { poolId: pool.id, amountCents: 1_000_000 }, auth);
  await backer.close();
  await publishPoolViaApi(manager, token, pool.id);

  const now = Date.now();
  for (let i = 0; i < 12; i++) {
    const pnl = Math.round(Math.sin(i / 2) * 4_000 + i * 900);
    await sendModelEvent(manager, {
      event: 'pnl_update',
      poolId: pool.id,
      data: {
        realizedPnl: ((pnl * 0.6) / 100).toFixed(2),
        unrealizedPnl: ((pnl * 0.4) / 100).toFixed(2),
        // Reports from the moment it started trading (earlier ones would predate its capital).
        at: new Date(now + i * 5_000).toISOString(),
      },
    });
  }
  const trades = [
    { side: 'BUY', symbol: 'BTC/USDT', quantity: '0.018', price: '63850.5', minutesAgo: 40 },
    { side: 'SELL', symbol: 'BTC/USDT', quantity: '0.005', price: '64120', minutesAgo: 25 },
    { side: 'BUY', symbol: 'ETH/USDT', quantity: '0.4', price: '3184.2', minutesAgo: 9 },
  ];
  for (const trade of trades) {
    await sendModelEvent(manager, {
      event: 'trade_executed',
      poolId: pool.id,
      data: {
        ...trade,
        fee: ((Number(trade.quantity) * Number(trade.price)) / 1000).toFixed(2),
        tradeId: `layout-${trade.minutesAgo}`,
        executedAt: new Date(now - trade.minutesAgo * 60_000).toISOString(),
      },
    });
  }
  for (const position of [
    {
      symbol: 'BTC/USDT',
      quantity: '0.013',
      avgEntryPrice: '63850.50',
      markPrice: '64410.10',
      unrealizedPnl: '7.27',
    },
    {
      symbol: 'ETH/USDT',
      quantity: '-0.4',
      avgEntryPrice: '3184.20',
      markPrice: '3176.05',
      unrealizedPnl: '3.26',
    },
  ]) {
    await sendModelEvent(manager, { event: 'position_update', poolId: pool.id, data: position });
  }
  await sendModelEvent(manager, {
    event: 'pool_update',
    poolId: pool.id,
    data: {
      message: 'Trend intact, holding exposure.',
      metrics: { sharpe: 1.62, winRate: 0.55, exposure: 0.8 },
    },
  });
  return pool;
}

/**
 * A full-page screenshot. The viewport is stretched to the page's height first: the shell's header and navbar are
 * fixed, and a plain full-page capture would cut the navbar off after the first screen.
 */
async function fullPageShot(page: Page, name: string) {
  const original = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (original && height > original.height) {
    await page.setViewportSize({ width: original.width, height });
  }
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true, animations: 'disabled' });
  if (original) {
    await page.setViewportSize(original);
  }
}

/** Opens a page, lets it settle, checks it fits the screen and saves a screenshot. */
async function visit(page: Page, path: string, shot: string, ready?: (page: Page) => Promise<void>) {
  await page.goto(path);
  // Admin pages load their own chunk: on a busy machine that can take a while.
  await expect(page.locator('h1').first()).toBeVisible({ timeout: 30_000 });
  await ready?.(page);
  await page.waitForLoadState('networkidle');
  // Skeletons gone: what is measured and photographed is the page with its data.
  await expect(page.locator('.mantine-Skeleton-root[data-visible="true"]')).toHaveCount(0);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  await fullPageShot(page, shot);
  expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${innerWidth} px screen`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/** The pool page's figures that appear twice agree: NAV and its change, realized and unrealized PnL. */
async function expectPoolFiguresAgree(page: Page) {
  await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('chart-unrealized-pnl')).toBeVisible();
  await expect(page.getByTestId('positions-unrealized-pnl')).toBeVisible();
  const nav = (await page.getByTestId('pool-nav-value').textContent()) ?? '';
  expect(nav).toMatch(/^\$\d+\.\d{6}$/);
  await expect(page.getByTestId('pool-chart-headline')).toContainText(nav);
  const change = (await page.getByTestId('pool-chart-change').textContent()) ?? '';
  await expect(page.getByTestId('pool-nav-change')).toHaveText(`${change} since start`);
  await expect(page.getByTestId('positions-unrealized-pnl')).toHaveText(
    (await page.getByTestId('chart-unrealized-pnl').textContent()) ?? '',
  );
}

for (const viewport of VIEWPORTS) {
  test.describe(`every page at ${viewport.width} px`, () => {
    test.use({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.mobile,
      hasTouch: viewport.mobile,
    });

    test('investor pages', async ({ page, browser }) => {
      test.setTimeout(240_000);
      const errors = watchConsole(page);
      const managerContext = await browser.newContext();
      const token = await seedManagerWithToken(managerContext.request);
      const pool = await seedTradingPool(browser, managerContext.request, token);
      await page.emulateMedia({ colorScheme: 'light' });

      // A brand-new investor: first steps instead of "welcome back".
      const me = await signUpViaApi(page.request, { displayName: 'Iris Investor' });
      await visit(page, '/', `investor-new-dashboard-${viewport.width}`, async (p) => {
        await expect(p.getByTestId('first-steps')).toBeVisible();
      });
      await expect(page.locator('h1')).not.toContainText('Welcome back');

      const auth = { token: me.session.accessToken };
      await trpcMutation(page.request, 'wallet.deposit', { amountCents: 250_000 }, auth);
      await trpcMutation(page.request, 'subscription.subscribe', undefined, auth);
      await trpcMutation(page.request, 'investments.create', { poolId: pool.id, amountCents: 100_000 }, auth);

      await visit(page, '/', `investor-dashboard-${viewport.width}`, async (p) => {
        await expect(p.getByTestId('investor-summary')).toBeVisible();
      });
      await visit(page, '/pools', `investor-pools-${viewport.width}`, async (p) => {
        await expect(p.getByTestId('pool-card').filter({ hasText: pool.name })).toBeVisible();
      });
      const cardNav = await page
        .getByTestId('pool-card')
        .filter({ hasText: pool.name })
        .getByTestId('pool-card-nav')
        .textContent();
      await visit(page, `/pools/${pool.id}`, `investor-pool-${viewport.width}`, expectPoolFiguresAgree);
      await expect(page.getByTestId('pool-nav-value')).toHaveText(cardNav ?? '');
      // Every action of the header is on screen (not cut off at the right edge).
      const invest = page.getByTestId('invest-button');
      await expect(invest).toBeInViewport({ ratio: 1 });
      // Trade notifications are opt-in.
      await expect(page.getByTestId('trade-toasts-toggle')).not.toBeChecked();

      await visit(page, '/portfolio', `investor-portfolio-${viewport.width}`);
      await visit(page, '/wallet', `investor-wallet-${viewport.width}`);
      await visit(page, '/withdrawals', `investor-withdrawals-${viewport.width}`);
      await visit(page, '/subscription', `investor-subscription-${viewport.width}`, async (p) => {
        // A month bought today: a calendar month of days left, with the date.
        await expect(p.getByTestId('subscription-summary')).toContainText(
          /Active until .+\((30|31|28|29) days left\)/,
        );
      });
      await visit(page, '/account', `investor-account-${viewport.width}`);

      // The invest dialog renders without React warnings (no <div> inside <p>).
      await page.goto(`/pools/${pool.id}`);
      await page.getByTestId('invest-button').click();
      await expect(page.getByRole('dialog', { name: /Invest/ })).toBeVisible();
      await expect(page.getByTestId('invest-balance')).toHaveText('$1,500.00');
      await page.screenshot({
        path: `${SHOTS}investor-invest-dialog-${viewport.width}.png`,
        animations: 'disabled',
      });

      expect(errors, errors.join('\n')).toEqual([]);
      await managerContext.close();
    });

    test('admin pages', async ({ page, browser }) => {
      test.setTimeout(240_000);
      const errors = watchConsole(page);
      const managerContext = await browser.newContext();
      const token = await seedManagerWithToken(managerContext.request);
      await seedTradingPool(browser, managerContext.request, token);
      await createPoolViaApi(managerContext.request, token, { name: uniquePoolName('Layout raising') });

      // A withdrawal waiting for a decision, with where to pay it.
      const investorContext = await browser.newContext();
      const investor = await signUpViaApi(investorContext.request, { displayName: 'Wanda Withdrawer' });
      const auth = { token: investor.session.accessToken };
      await trpcMutation(investorContext.request, 'wallet.deposit', { amountCents: 50_000 }, auth);
      await trpcMutation(
        investorContext.request,
        'withdrawals.create',
        { amountCents: 20_000, payoutDestination: 'DE89 3704 0044 0532 0130 00, Wanda Withdrawer' },
        auth,
      );
      await investorContext.close();

      await page.emulateMedia({ colorScheme: 'light' });
      await seedStaff(page.request, 'ADMIN');
      await visit(page, '/admin', `admin-overview-${viewport.width}`);
      await visit(page, '/admin/pools', `admin-pools-${viewport.width}`, async (p) => {
        await expect(p.getByTestId('admin-pools-table')).toBeVisible();
      });
      if (viewport.width >= 1440) {
        // The row actions are whole: their labels are not cut ("Pa…").
        for (const button of await page.getByTestId('admin-pools-table').getByRole('button').all()) {
          const clipped = await button.evaluate((element) => {
            const label = element.querySelector('.mantine-Button-label');
            return label ? label.scrollWidth > label.clientWidth : false;
          });
          expect(clipped, `${await button.textContent()} is clipped`).toBe(false);
        }
      }
      await visit(page, '/admin/users', `admin-users-${viewport.width}`);
      await visit(page, '/admin/audit', `admin-audit-${viewport.width}`);
      await visit(page, '/admin/withdrawals', `admin-withdrawals-${viewport.width}`, async (p) => {
        await expect(p.getByText('DE89 3704 0044 0532 0130 00, Wanda Withdrawer').first()).toBeAttached();
      });
      await visit(page, '/admin/ledger', `admin-ledger-${viewport.width}`);
      await visit(page, '/admin/mail', `admin-mail-${viewport.width}`, async (p) => {
        await expect(p.getByTestId('mail-outbox')).toBeAttached();
      });
      await visit(page, '/admin/integrations', `admin-integrations-${viewport.width}`);

      expect(errors, errors.join('\n')).toEqual([]);
      await managerContext.close();
    });
  });
}
