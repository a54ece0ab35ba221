import { type Browser, expect, type Page, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { sendModelEvent } from '../support/model-webhook';
import { createPoolViaApi, publishPoolViaApi, seedManagerWithToken, uniquePoolName } from '../support/pools';

/** The tRPC subscriptions (SSE): the person's own events and a pool's. */
const STREAMS = '*/trpc/*.onEvents?*';

type SsePlight = 'works' | 'refused' | 'buffered';

/**
 * An investor on the pool's page in a browser of its own. `refused`: every SSE request fails at once (a network that
 * drops them). `buffered`: they are sent but nothing ever comes back (a proxy that buffers the stream). Both are set in
 * the browser itself (DevTools protocol), so the page's other requests are not routed through the test.
 */
async function investorOnPool(browser: Browser, poolId: string, sse: SsePlight) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  if (sse !== 'works') {
    const devtools = await context.newCDPSession(page);
    if (sse === 'refused') {
      await devtools.send('Network.enable');
      await devtools.send('Network.setBlockedURLs', { urls: [STREAMS] });
    } else {
      // Paused and never continued: the request stays pending, as behind a buffering proxy.
      await devtools.send('Fetch.enable', { patterns: [{ urlPattern: STREAMS }] });
    }
  }
  await signUpViaApi(page.request);
  await page.goto(`/pools/${poolId}`);
  return { context, page, sockets };
}

function indicator(page: Page) {
  return page.getByTestId('realtime-status');
}

async function seedTradingPool(browser: Browser) {
  const managerContext = await browser.newContext();
  const manager = managerContext.request;
  const token = await seedManagerWithToken(manager);
  const pool = await createPoolViaApi(manager, token, { name: uniquePoolName('E2E Paths') });
  await publishPoolViaApi(manager, token, pool.id);
  const trade = () =>
    sendModelEvent(manager, {
      event: 'trade_executed',
      poolId: pool.id,
      data: { side: 'SELL', quantity: 2, symbol: 'ETH/USDT', price: 3120.5 },
    });
  return { pool, trade, close: () => managerContext.close() };
}

async function expectFallback(page: Page) {
  await expect(indicator(page)).toHaveAttribute('data-path', 'socket.io', { timeout: 30_000 });
  await expect(indicator(page)).toHaveAttribute('data-state', 'connected');
  await expect(indicator(page)).toContainText('Live · socket.io fallback');
  await expect(page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
}

async function expectTheTrade(page: Page) {
  const rows = page.getByTestId('trade-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('SELL');
  await expect(rows.first()).toContainText('ETH/USDT');
  await expect(rows.first()).toContainText('3,120.5');
}

const usedSocketIo = (sockets: string[]) => sockets.some((url) => url.includes('/socket.io'));

test.describe('live paths', () => {
  // Two browsers, and a fallback that waits for SSE to give up: 20–30 s alone, past 90 s on a loaded machine (traces
  // show 30 s page loads there, with every server answer under 1 s).
  test.setTimeout(120_000);

  test('SSE carries the live trade; where SSE is refused, socket.io does, and both show the same trade once', async ({
    browser,
  }) => {
    const model = await seedTradingPool(browser);
    const viaSse = await investorOnPool(browser, model.pool.id, 'works');
    const refused = await investorOnPool(browser, model.pool.id, 'refused');

    await expect(indicator(viaSse.page)).toHaveAttribute('data-state', 'connected');
    await expect(indicator(viaSse.page)).toHaveAttribute('data-path', 'sse');
    await expect(indicator(viaSse.page)).toContainText('Live · SSE');
    await expect(viaSse.page.getByTestId('pool-live-status')).toHaveAttribute('data-state', 'connected');
    await expectFallback(refused.page);

    await model.trade();
    await expectTheTrade(viaSse.page);
    await expectTheTrade(refused.page);
    // The SSE browser never needed socket.io; the other did.
    expect(usedSocketIo(viaSse.sockets)).toBe(false);
    expect(usedSocketIo(refused.sockets)).toBe(true);

    await viaSse.context.close();
    await refused.context.close();
    await model.close();
  });

  test('behind a proxy that buffers SSE (no stream ever starts), socket.io takes over and shows the trade', async ({
    browser,
  }) => {
    const model = await seedTradingPool(browser);
    const buffered = await investorOnPool(browser, model.pool.id, 'buffered');
    await expectFallback(buffered.page);
    await model.trade();
    await expectTheTrade(buffered.page);
    expect(usedSocketIo(buffered.sockets)).toBe(true);
    await buffered.context.close();
    await model.close();
  });
});
