import { randomBytes } from 'node:crypto';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { type BrowserSession, seedStaff } from '../support/accounts';
import { sendModelEvent } from '../support/model-webhook';
import { trpcMutation, trpcQuery } from '../support/trpc-http';

export interface PoolView {
  id: string;
  name: string;
  status: string;
  navPerShare: string;
  equityCents: number;
  raisedCents: number;
}

/** A fresh access token for the session whose refresh cookie `request` holds (seedStaff keeps only the cookie). */
export async function accessToken(request: APIRequestContext): Promise<string> {
  const session = await trpcMutation<BrowserSession>(request, 'session.refresh');
  return session.accessToken;
}

/** A MANAGER signed in through `request`, with a token for API calls. */
export async function seedManager(request: APIRequestContext): Promise<{ token: string }> {
  await seedStaff(request, 'MANAGER', 'E2E Pool Manager');
  return { token: await accessToken(request) };
}

interface PoolDates {
  startDate: Date;
  endDate: Date;
  settleDate?: Date;
}

/** Creates a pool as a manager (PENDING); names are unique so specs can find their own among everyone's. */
export async function createPool(
  request: APIRequestContext,
  token: string,
  dates: PoolDates,
  overrides: { name?: string; targetAmountCents?: number; minInvestmentCents?: number } = {},
): Promise<PoolView> {
  return trpcMutation<PoolView>(
    request,
    'admin.pools.create',
    {
      name: overrides.name ?? `E2E Money ${randomBytes(3).toString('hex')}`,
      description: 'A pool made by the money journeys.',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'MEDIUM',
      targetAmountCents: overrides.targetAmountCents ?? 1_000_000,
      minInvestmentCents: overrides.minInvestmentCents ?? 5_000,
      startDate: dates.startDate.toISOString(),
      endDate: dates.endDate.toISOString(),
      ...(dates.settleDate ? { settleDate: dates.settleDate.toISOString() } : {}),
    },
    { token },
  );
}

export function publishPool(request: APIRequestContext, token: string, id: string): Promise<PoolView> {
  return trpcMutation<PoolView>(request, 'admin.pools.publish', { id }, { token });
}

export function getPool(request: APIRequestContext, token: string, id: string): Promise<PoolView> {
  return trpcQuery<PoolView>(request, 'pools.byId', { id }, { token });
}

/** Waits until the scheduler has moved the pool to `status`. */
export async function waitForPoolStatus(
  request: APIRequestContext,
  token: string,
  id: string,
  status: string,
  timeout = 60_000,
): Promise<void> {
  await expect
    .poll(async () => (await getPool(request, token, id)).status, { timeout, intervals: [500, 1_000] })
    .toBe(status);
}

/** Subscribes (demo provider) and deposits, through the API, as the investor holding `token`. */
export async function fundInvestor(
  request: APIRequestContext,
  token: string,
  depositCents: number,
): Promise<void> {
  await trpcMutation(request, 'subscription.subscribe', undefined, { token });
  await trpcMutation(request, 'wallet.deposit', { amountCents: depositCents }, { token });
}

/**
 * The model reports its cumulative realized PnL (in dollars, as the model speaks), signed as the model signs it. The
 * pool is then worth its capital plus that (CONTRACT §6): the model reports performance, not the pool's value.
 */
export async function postPnlUpdate(request: APIRequestContext, poolId: string, realizedPnlDollars: string) {
  await sendModelEvent(request, {
    event: 'pnl_update',
    poolId,
    data: { realizedPnl: realizedPnlDollars, unrealizedPnl: '0' },
  });
}

/** Closes the toasts so screenshots show the page, not the last notification over its header. */
export async function dismissNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.mantine-Notification-root');
  for (let left = await toasts.count(); left > 0; left = await toasts.count()) {
    await toasts.first().locator('.mantine-Notification-closeButton').click();
    await expect(toasts).toHaveCount(left - 1);
  }
}
