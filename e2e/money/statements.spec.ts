import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { signUpViaApi } from '../support/accounts';
import { REPO_ROOT } from '../support/build';
import { createPool, dismissNotifications, fundInvestor, publishPool, seedManager } from './money-helpers';

const HOUR = 3_600_000;

/** "$1,234.56" → 123456 */
function cents(text: string | null): number {
  const match = /-?\$([\d,]+)\.(\d{2})/.exec(text ?? '');
  if (!match?.[1] || !match[2]) {
    throw new Error(`not a dollar amount: ${text}`);
  }
  return Number(match[1].replaceAll(',', '')) * 100 + Number(match[2]);
}

test.describe('pool statements', () => {
  test('an investor invests in an ACTIVE pool and the statement shows a value equal to the amount', async ({
    page,
    browser,
  }) => {
    const investor = await signUpViaApi(page.request, { displayName: 'Stella Statement' });
    await fundInvestor(page.request, investor.session.accessToken, 100_000);
    const staff = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const { token } = await seedManager(staff.request);
    const name = `Statement Pool ${Date.now().toString(36)}`;
    const now = Date.now();
    const pool = await createPool(
      staff.request,
      token,
      { startDate: new Date(now + HOUR), endDate: new Date(now + 48 * HOUR) },
      { name, targetAmountCents: 1_000_000, minInvestmentCents: 5_000 },
    );
    await publishPool(staff.request, token, pool.id);
    await staff.close();

    await page.goto(`/pools/${pool.id}`);
    await page.getByTestId('invest-button').click();
    const dialog = page.getByRole('dialog', { name: `Invest in ${name}` });
    await dialog.getByRole('textbox', { name: 'Amount to invest' }).fill('345.67');
    await dialog.getByRole('button', { name: 'Invest $345.67' }).click();
    await expect(dialog).toBeHidden();
    await dismissNotifications(page);

    await page.goto('/portfolio');
    const statement = page.locator(`[data-testid="pool-statement"][data-pool-id="${pool.id}"]`);
    await expect(statement).toHaveAttribute('data-status', 'ACTIVE');
    await expect(statement.getByTestId('statement-invested')).toHaveText('$345.67');
    await expect(statement.getByTestId('statement-value')).toHaveText('$345.67');
    await expect(statement.getByTestId('statement-shares')).toHaveText('345.67');
    await expect(statement.getByTestId('statement-profit')).toContainText('0.00');
  });
});

test.describe('demo data (pnpm dev)', () => {
  // Its own server on a database seeded as `pnpm dev` seeds it, so the journeys' shared database stays untouched.
  const port = Number(process.env.E2E_PORT ?? 3210) + 37;
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  let output = '';

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'tradepool-e2e-demo-'));
    server = spawn('node', ['apps/server/dist/index.js'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'demo.db')}`,
        TRADEPOOL_SEED: 'demo',
        SIMULATOR: 'off',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MIN: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk) => {
      output += String(chunk);
    });
    server.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    await expect
      .poll(
        async () => {
          if (server?.exitCode !== null) {
            throw new Error(`the demo server exited:\n${output}`);
          }
          return fetch(`${base}/readyz`).then(
            (res) => res.status,
            () => 0,
          );
        },
        { timeout: 90_000, intervals: [250, 500, 1_000] },
      )
      .toBe(200);
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  test('picking a demo account signs in, and the settled demo pool shows its statement', async ({ page }) => {
    await page.goto(`${base}/sign-in`);
    await page.getByRole('button', { name: /^Sign in as alice@tradepool\.dev/ }).click();
    await expect(page).not.toHaveURL(/\/sign-in/);

    await page.goto(`${base}/portfolio`);
    const settled = page.getByTestId('pool-statement').filter({ hasText: 'Swing ETH · Autumn run' });
    await expect(settled).toHaveAttribute('data-status', 'SETTLED');
    await expect(settled.getByTestId('statement-invested')).toHaveText('$5,000.00');
    const value = cents(await settled.getByTestId('statement-value').textContent());
    const fee = cents(await settled.getByTestId('statement-fee').textContent());
    const payout = cents(await settled.getByTestId('statement-payout').textContent());
    expect(fee).toBeGreaterThan(0);
    expect(payout + fee).toBe(value);
    await expect(settled.getByTestId('statement-waterfall')).toBeVisible();

    // Alice's ACTIVE pool is real money: her Momentum BTC statement has what she put in.
    const momentum = page.getByTestId('pool-statement').filter({ hasText: 'Momentum BTC' });
    await expect(momentum.getByTestId('statement-invested')).toHaveText('$4,000.00');

    // The wallet lists the payout, and offers the CSV.
    await page.goto(`${base}/wallet`);
    await expect(page.getByTestId('wallet-history')).toContainText('Payout from Swing ETH · Autumn run');
    const download = page.waitForEvent('download');
    await page.getByTestId('wallet-download-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tradepool-transactions-\d{4}-\d{2}-\d{2}\.csv$/);
  });
});
