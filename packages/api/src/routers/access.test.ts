import { describeEachDialect } from '@tradepool/db/testing';
import type { AnyTRPCProcedure } from '@trpc/server';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext, type ServiceDeps } from '../context';
import { appRouter } from '../root';
import { invest } from '../services/money/investments';
import { deposit, subscribe } from '../services/money/payments';
import { requestWithdrawal } from '../services/money/withdrawals';
import { createPool } from '../services/pools/pools-service';
import { createCaller, createTestUser, type TestUser, testDeps } from '../testing';

/** Procedures anyone may call without signing in. Adding one here is a security decision: review it. */
const PUBLIC = new Set([
  'system.info',
  'auth.register',
  'auth.login',
  'auth.refresh',
  'session.signUp',
  'session.signIn',
  'session.refresh',
  'session.signOut',
]);

/** `admin.*` procedures a MANAGER may use (pool operations); every other `admin.*` is ADMIN only. */
const MANAGER_ALLOWED = new Set<string>([
  'admin.pools.create',
  'admin.pools.update',
  'admin.pools.publish',
  'admin.pools.pause',
  'admin.pools.resume',
  'admin.pools.cancel',
  'admin.settlement.preview',
  'admin.settlement.settle',
  'admin.dashboard.summary',
]);

/** Procedures taking the id of something every signed-in user may see (pools are public to investors). */
const SHARED_ID_PROCEDURES = new Set([
  'pools.byId',
  'pools.history',
  'pools.onEvents',
  'pools.trades',
  'pools.positions',
  'pools.pnl',
  'pools.modelStatus',
  // Takes the id of the pool to buy into, which every investor may see.
  'investments.create',
]);

/** An investment of `owner`'s in a fresh PENDING pool. */
async function ownedInvestment(owner: TestUser) {
  await subscribe(owner.ctx);
  await deposit(owner.ctx, 50_000);
  const manager = await createTestUser(owner.ctx, 'MANAGER');
  const at = (h: number) => new Date(owner.ctx.clock.now().getTime() + h * 3_600_000).toISOString();
  const pool = await createPool(manager.ctx, {
    name: 'Owned ids',
    description: '',
    strategy: 'SWING_ETH',
    pair: 'ETH/USDT',
    riskLevel: 'LOW',
    targetAmountCents: 1_000_000,
    minInvestmentCents: 100,
    startDate: at(1),
    endDate: at(2),
  });
  return invest(owner.ctx, { poolId: pool.id, amountCents: 1_000 });
}

/**
 * Procedures outside `admin.*` that take the id of something a user owns, with how to get such an id belonging to
 * `owner`. Another user asking for it must get NOT_FOUND, never the thing, never FORBIDDEN (which would confirm it
 * exists).
 */
const OWNED_ID_PROCEDURES: Record<string, (owner: TestUser) => Promise<Record<string, unknown>>> = {
  'account.revokeSession': async (owner) => ({ sessionId: owner.ctx.user?.sessionId }),
  'investments.cancel': async (owner) => ({ id: (await ownedInvestment(owner)).id }),
  // The pool is visible to everyone, but the statement is the holder's: a non-holder gets NOT_FOUND.
  'statements.pool': async (owner) => ({ id: (await ownedInvestment(owner)).poolId }),
  'withdrawals.cancel': async (owner) => {
    await deposit(owner.ctx, 5_000);
    return { id: (await requestWithdrawal(owner.ctx, 1_000)).id };
  },
};

const ID_KEY = /(^id$|Id$)/;

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, AnyTRPCProcedure> } })._def.procedures,
);

function inputKeys(procedure: AnyTRPCProcedure): string[] {
  const inputs = (procedure as unknown as { _def: { inputs: unknown[] } })._def.inputs;
  const keys: string[] = [];
  for (const schema of inputs) {
    let current = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown } } | undefined;
    // Unwrap optional/default wrappers to reach an object's shape.
    for (let i = 0; i < 3 && current && !current.shape && current.def?.innerType; i++) {
      current = current.def.innerType as typeof current;
    }
    if (current?.shape) {
      keys.push(...Object.keys(current.shape));
    }
  }
  return keys;
}

async function callProcedure(
  ctx: ReturnType<typeof createInnerContext>,
  path: string,
  input: unknown,
): Promise<unknown> {
  const caller = createCaller(ctx) as unknown as Record<string, unknown>;
  let target: unknown = caller;
  for (const segment of path.split('.')) {
    target = (target as Record<string, unknown>)[segment];
  }
  const result = await (target as (input: unknown) => Promise<unknown>)(input);
  // Subscriptions hand back an iterable; authorisation runs when it is created, so reaching here means allowed.
  return result;
}

async function errorCode(
  ctx: ReturnType<typeof createInnerContext>,
  path: string,
  input: unknown,
): Promise<string | null> {
  try {
    await callProcedure(ctx, path, input);
    return null;
  } catch (error) {
    return error instanceof TRPCError ? error.code : 'THREW_NON_TRPC_ERROR';
  }
}

describeEachDialect('router access rules', (suite) => {
  let deps: ServiceDeps;
  let investor: TestUser;
  let manager: TestUser;
  let owner: TestUser;

  beforeAll(async () => {
    deps = testDeps(suite.getDb());
    investor = await createTestUser(deps, 'INVESTOR');
    manager = await createTestUser(deps, 'MANAGER');
    owner = await createTestUser(deps, 'INVESTOR');
  });

  it('has procedures to check', () => {
    expect(procedures.length).toBeGreaterThan(10);
  });

  describe.each(procedures.map(([path]) => path))('%s', (path) => {
    it('refuses an anonymous caller unless it is meant to be public', async () => {
      const code = await errorCode(createInnerContext(deps), path, { __probe: true });
      if (PUBLIC.has(path)) {
        expect(code).not.toBe('UNAUTHORIZED');
      } else {
        expect(code).toBe('UNAUTHORIZED');
      }
    });

    it('refuses investors on admin procedures and managers on admin-only ones', async () => {
      const asInvestor = await errorCode(investor.ctx, path, { __probe: true });
      const asManager = await errorCode(manager.ctx, path, { __probe: true });
      if (path.startsWith('admin.')) {
        expect(asInvestor).toBe('FORBIDDEN');
        expect(asManager).toBe(MANAGER_ALLOWED.has(path) ? 'BAD_REQUEST' : 'FORBIDDEN');
      } else {
        expect(asInvestor).not.toBe('FORBIDDEN');
      }
    });

    it('rejects unknown input fields (strict schemas)', async () => {
      const procedure = procedures.find(([name]) => name === path)?.[1];
      if (!procedure || inputKeys(procedure).length === 0) {
        return;
      }
      const admin = await createTestUser(deps, 'ADMIN');
      const code = await errorCode(path.startsWith('admin.') ? admin.ctx : investor.ctx, path, {
        __probe: true,
      });
      expect(code).toBe('BAD_REQUEST');
    });
  });

  it('lists every non-admin procedure that takes an owned id, and each answers NOT_FOUND to another user', async () => {
    const takingIds = procedures
      .filter(
        ([path, procedure]) =>
          !path.startsWith('admin.') &&
          !SHARED_ID_PROCEDURES.has(path) &&
          inputKeys(procedure).some((key) => key !== 'lastEventId' && ID_KEY.test(key)),
      )
      .map(([path]) => path);
    expect(takingIds.sort()).toEqual(Object.keys(OWNED_ID_PROCEDURES).sort());
    for (const [path, ownedInput] of Object.entries(OWNED_ID_PROCEDURES)) {
      const input = await ownedInput(owner);
      expect(await errorCode(investor.ctx, path, input), path).toBe('NOT_FOUND');
    }
  });
});
