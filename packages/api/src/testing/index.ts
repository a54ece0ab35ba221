import { type Database, newId } from '@tradepool/db';
import { type Clock, ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import {
  type ApiConfig,
  type Context,
  createInnerContext,
  createServiceDeps,
  type Role,
  type ServiceDeps,
} from '../context';
import { appRouter } from '../root';
import { register } from '../services/auth/register';
import { actOnPool, createPool } from '../services/pools/pools-service';
import { createCallerFactory } from '../trpc';

export const testConfig: ApiConfig = {
  environment: 'test',
  version: '0.0.0-test',
  paymentProvider: 'demo',
  demoAccounts: false,
  jwtSecret: 'test-jwt-secret-that-is-long-enough-for-hs256',
  secretsKey: 'test-secrets-key-that-is-long-enough-to-use',
  requireAdmin2fa: false,
  loginFailuresPer15Min: 10,
  registrationsPerHour: 1000,
  secureCookies: false,
  modelWebhook: { initialSecret: 'whsec_dGVzdC1tb2RlbC13ZWJob29rLXNlY3JldC0zMmJ5dGVz', pinnedSecret: null },
};

export function testDeps(
  database: Database,
  options: { clock?: Clock; config?: Partial<ApiConfig> } = {},
): ServiceDeps {
  return createServiceDeps({
    database,
    clock: options.clock ?? new ManualClock(new Date('2026-11-24T12:00:00Z')),
    log: pino({ level: 'silent' }),
    config: { ...testConfig, ...options.config },
  });
}

export const createCaller = createCallerFactory(appRouter);

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  /** A context signed in as this user, as the HTTP layer would build it from the access token. */
  ctx: Context;
}

let counter = 0;

/** Registers a user through the real service and, if asked, promotes them; returns a signed-in context. */
export async function createTestUser(
  deps: ServiceDeps,
  role: Role = 'INVESTOR',
  email?: string,
): Promise<TestUser> {
  const address = email ?? `user${++counter}-${Date.now()}@example.com`;
  const anonymous = createInnerContext(deps, { ip: '127.0.0.1' });
  const session = await register(anonymous, { email: address, password: 'a-test-password' });
  if (role !== 'INVESTOR') {
    const { users } = deps.database.schema;
    await deps.database.transaction(async (tx) => {
      await tx.update(users).set({ role }).where(eq(users.id, session.user.id));
    });
  }
  const ctx = createInnerContext(deps, {
    ip: '127.0.0.1',
    user: {
      id: session.user.id,
      email: address,
      role,
      sessionId: session.sessionId,
      expiresAt: session.accessTokenExpiresAt,
      pendingTotpEnrollment: false,
    },
  });
  return {
    id: session.user.id,
    email: address,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    ctx,
  };
}

/**
 * A pool published by a new MANAGER through the services, open to the model's reports: it starts an hour after the
 * services' clock says now and ends 1,000 hours after; its id.
 */
export async function publishedPool(deps: ServiceDeps, name = 'Trading'): Promise<string> {
  const manager = await createTestUser(deps, 'MANAGER');
  const at = (h: number) => new Date(deps.clock.now().getTime() + h * 3_600_000).toISOString();
  const pool = await createPool(manager.ctx, {
    name,
    description: '',
    strategy: 'MOMENTUM_BTC',
    pair: 'BTC/USDT',
    riskLevel: 'HIGH',
    targetAmountCents: 1_000_000,
    minInvestmentCents: 100,
    startDate: at(1),
    endDate: at(1000),
    settleDate: at(1001),
  });
  return (await actOnPool(manager.ctx, pool.id, 'publish')).id;
}

/**
 * `count` PENDING pools named `${prefix} 0`, `${prefix} 1`, … whose start, end and settle dates have all passed, so
 * one scheduler pass walks each to SETTLING; inserted in transactions of 1,000 rows (SQLite's bound on a statement's
 * variables). Answers their ids.
 */
export async function insertDuePools(database: Database, count: number, prefix = 'Due'): Promise<string[]> {
  const { pools } = database.schema;
  const past = (hours: number) => new Date(Date.now() - hours * 3_600_000);
  const ids = Array.from({ length: count }, () => newId());
  for (let offset = 0; offset < count; offset += 1_000) {
    await database.transaction(async (tx) => {
      await tx.insert(pools).values(
        ids.slice(offset, offset + 1_000).map((id, i) => ({
          id,
          name: `${prefix} ${offset + i}`,
          strategy: 'SWING_ETH' as const,
          pair: 'ETH/USDT',
          riskLevel: 'LOW' as const,
          targetAmountCents: 100_000,
          minInvestmentCents: 100,
          startDate: past(3),
          endDate: past(2),
          settleDate: past(1),
          createdAt: past(4),
          updatedAt: past(4),
        })),
      );
    });
  }
  return ids;
}
