import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Browser } from '@playwright/test';
import { type BrowserSession, seedStaff, signUpViaApi } from './accounts';
import { trpcMutation } from './trpc-http';

export interface E2EPool {
  id: string;
  name: string;
  status: string;
  navPerShare: string;
  equityCents: number;
}

export interface PoolInput {
  name: string;
  description: string;
  strategy: 'MOMENTUM_BTC' | 'SWING_ETH' | 'MEAN_REVERSION_SOL' | 'BREAKOUT_ALTCOINS' | 'MARKET_NEUTRAL';
  pair: string;
  riskLevel: 'LOW' | 'MEDIUM' | 'HIGH';
  targetAmountCents: number;
  minInvestmentCents: number;
  startDate: string;
  endDate: string;
  settleDate: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A name no other spec (or earlier run against the same database) uses, so a spec finds its own pool. */
export function uniquePoolName(prefix: string): string {
  return `${prefix} ${randomBytes(2).toString('hex').toUpperCase()}`;
}

/** A MANAGER (2FA enrolled) signed in through `request`, and an access token for API calls as them. */
export async function seedManagerWithToken(request: APIRequestContext): Promise<string> {
  await seedStaff(request, 'MANAGER', 'E2E Pool Manager');
  const session = await trpcMutation<BrowserSession>(request, 'session.refresh');
  return session.accessToken;
}

/** Creates a PENDING pool as a manager: starts in two days, trades for 30, settles a day later, unless overridden. */
export function createPoolViaApi(
  request: APIRequestContext,
  token: string,
  overrides: Partial<PoolInput> = {},
): Promise<E2EPool> {
  const start = Date.now() + 2 * DAY;
  const input: PoolInput = {
    name: uniquePoolName('E2E Momentum'),
    description: 'Rides sustained Bitcoin trends with trailing stops; sits in cash when momentum fades.',
    strategy: 'MOMENTUM_BTC',
    pair: 'BTC/USDT',
    riskLevel: 'MEDIUM',
    targetAmountCents: 5_000_000,
    minInvestmentCents: 10_000,
    startDate: new Date(start).toISOString(),
    endDate: new Date(start + 30 * DAY).toISOString(),
    settleDate: new Date(start + 31 * DAY).toISOString(),
    ...overrides,
  };
  return trpcMutation<E2EPool>(request, 'admin.pools.create', input, { token });
}

/** PENDING → ACTIVE now, as a manager. */
export function publishPoolViaApi(request: APIRequestContext, token: string, id: string): Promise<E2EPool> {
  return trpcMutation<E2EPool>(request, 'admin.pools.publish', { id }, { token });
}

/**
 * Investors with their own accounts (each subscribed and funded) invest `amounts` while the pool is PENDING: the money
 * raised becomes the pool's capital when it turns ACTIVE, and the model's PnL reports are about that capital
 * (CONTRACT §6; a pool with no capital refuses PnL).
 */
export async function backPoolViaApi(browser: Browser, poolId: string, amounts: number[]): Promise<void> {
  for (const amountCents of amounts) {
    const context = await browser.newContext();
    const investor = await signUpViaApi(context.request, { displayName: 'E2E Backer' });
    const token = investor.session.accessToken;
    await trpcMutation(context.request, 'wallet.deposit', { amountCents }, { token });
    await trpcMutation(context.request, 'subscription.subscribe', undefined, { token });
    await trpcMutation(context.request, 'investments.create', { poolId, amountCents }, { token });
    await context.close();
  }
}
