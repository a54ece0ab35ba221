import { type Db, forUpdate, type Investment, newId, type Pool } from '@tradepool/db';
import {
  AppError,
  formatShares,
  INVESTABLE_STATUSES,
  type InvestmentView,
  isSubscriptionActiveAt,
  navMicros,
  REFUSAL,
  sharesAtCurrentNav,
} from '@tradepool/domain';
import { and, eq, lte, sql } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { poolView } from '../pools/pool-view';
import { insertInvestmentFlow } from './capital';
import { holdsShares } from './holdings';
import { once } from './idempotency';
import { accounts, InsufficientFunds, transfer } from './ledger';
import { dollars } from './mail';
import { announceWallet } from './user-events';

/**
 * Below a thousandth of a dollar per share a pool's value has collapsed: minting at that price would hand out absurd
 * share counts, so investing is refused instead.
 */
export const MIN_NAV_MICROS = 1_000n;

export function investmentView(row: Investment): InvestmentView {
  return {
    id: row.id,
    poolId: row.poolId,
    amountCents: row.amountCents,
    shares: formatShares(row.shares),
    status: row.status,
    payoutCents: row.payoutCents,
    feeCents: row.feeCents,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Micro-shares for `amountCents` at the pool's current NAV (1.000000 while PENDING), chosen so the NAV shown is the
 * same after the investment (see `sharesAtCurrentNav`); refuses collapsed pools and unsafe results.
 */
export function sharesFor(pool: Pick<Pool, 'equityCents' | 'totalShares'>, amountCents: number): number {
  const nav = navMicros(pool.equityCents, pool.totalShares);
  if (nav < MIN_NAV_MICROS) {
    throw new AppError('CONFLICT', 'This pool has lost almost all of its value: new investments are closed', {
      details: { reason: REFUSAL.NAV_COLLAPSED },
    });
  }
  const shares = sharesAtCurrentNav(pool.equityCents, pool.totalShares, amountCents);
  if (shares <= 0n || shares > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('CONFLICT', 'This amount cannot be converted to shares at the current price', {
      details: { reason: REFUSAL.SHARES_OUT_OF_RANGE },
    });
  }
  return Number(shares);
}

async function announceInvestment(deps: ServiceDeps, tx: Db, investment: Investment, pool: Pool) {
  await appendEvent(deps, tx, {
    type: 'investment:update',
    userId: investment.userId,
    data: { investment: { ...investmentView(investment) } },
  });
  await appendEvent(deps, tx, {
    type: 'pool:update',
    poolId: pool.id,
    data: { pool: { ...poolView(pool) } },
  });
  await announceWallet(deps, tx, investment.userId);
}

/**
 * Buys shares: needs an active subscription, a PENDING or ACTIVE pool, at least the minimum, no more than the
 * capacity left, and the money in the wallet. The pool row is updated conditionally on capacity and the wallet is
 * debited conditionally on balance, so concurrent investments can never over-fill a pool or overdraw a wallet.
 */
export async function invest(
  ctx: Context,
  input: { poolId: string; amountCents: number },
  idempotencyKey?: string | null,
): Promise<InvestmentView> {
  const sessionUser = requireUser(ctx);
  const { users, pools, investments } = ctx.database.schema;
  const { value } = await eventsTransaction(ctx, (tx) =>
    once(
      ctx,
      tx,
      { userId: sessionUser.id, key: idempotencyKey, operation: 'invest', body: input },
      async () => {
        const now = ctx.clock.now();
        const [user] = await tx.select().from(users).where(eq(users.id, sessionUser.id)).limit(1);
        if (!user || !isSubscriptionActiveAt(user.subscriptionExpiresAt, now)) {
          throw new AppError('SUBSCRIPTION_REQUIRED', 'Subscription required');
        }
        // Locked: the shares are priced from this row's equity and shares, which a concurrent investment or PnL
        // report must not change before the update below.
        const [pool] = await forUpdate(tx.select().from(pools).where(eq(pools.id, input.poolId)).limit(1));
        if (!pool) {
          throw new AppError('NOT_FOUND', 'No such pool');
        }
        if (!INVESTABLE_STATUSES.includes(pool.status)) {
          throw new AppError('CONFLICT', `This pool is ${pool.status}: it no longer takes investments`, {
            details: { reason: REFUSAL.POOL_NOT_OPEN },
          });
        }
        if (input.amountCents < pool.minInvestmentCents) {
          throw new AppError(
            'BAD_REQUEST',
            `The minimum investment in this pool is ${pool.minInvestmentCents} cents`,
            {
              fields: { amountCents: `must be at least ${pool.minInvestmentCents}` },
              details: { reason: REFUSAL.BELOW_MINIMUM },
            },
          );
        }
        const shares = sharesFor(pool, input.amountCents);
        const existing = await holdsShares(tx, ctx.database.schema, user.id, pool.id);
        // While ACTIVE the money trades at once: it joins the capital (and so the equity) at the current NAV.
        const trading = pool.status === 'ACTIVE';
        const [updated] = await tx
          .update(pools)
          .set({
            raisedCents: sql`${pools.raisedCents} + ${input.amountCents}`,
            ...(trading ? { capitalCents: sql`${pools.capitalCents} + ${input.amountCents}` } : {}),
            equityCents: sql`${pools.equityCents} + ${input.amountCents}`,
            totalShares: sql`${pools.totalShares} + ${shares}`,
            investorCount: existing ? pools.investorCount : sql`${pools.investorCount} + 1`,
            updatedAt: now,
          })
          .where(
            and(
              eq(pools.id, pool.id),
              eq(pools.status, pool.status),
              eq(pools.totalShares, pool.totalShares),
              lte(sql`${pools.raisedCents} + ${input.amountCents}`, pools.targetAmountCents),
            ),
          )
          .returning();
        if (!updated) {
          const [current] = await tx.select().from(pools).where(eq(pools.id, pool.id)).limit(1);
          if (current?.status !== pool.status || current.totalShares !== pool.totalShares) {
            throw new AppError('CONFLICT', 'The pool changed while investing; try again', {
              details: { reason: REFUSAL.POOL_CHANGED },
            });
          }
          const left = Math.max(0, (current?.targetAmountCents ?? 0) - (current?.raisedCents ?? 0));
          throw new AppError('CONFLICT', `Only ${dollars(left)} of capacity is left in this pool`, {
            details: { reason: REFUSAL.CAPACITY_EXCEEDED, capacityLeftCents: left },
          });
        }
        const [investment] = await tx
          .insert(investments)
          .values({
            id: newId(),
            userId: user.id,
            poolId: pool.id,
            amountCents: input.amountCents,
            shares,
            status: 'ACTIVE',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!investment) {
          throw new Error('investment insert returned nothing');
        }
        if (trading) {
          await insertInvestmentFlow(ctx, tx, {
            poolId: pool.id,
            investmentId: investment.id,
            amountCents: input.amountCents,
            at: now,
          });
        }
        try {
          await transfer(ctx.database, tx, {
            from: accounts.cash(user.id),
            to: accounts.capital(pool.id),
            amountCents: input.amountCents,
            kind: 'INVEST',
            idempotencyKey: `invest:${investment.id}`,
            reference: { investmentId: investment.id, poolId: pool.id },
            at: now,
          });
        } catch (error) {
          if (error instanceof InsufficientFunds) {
            throw new AppError('CONFLICT', 'Not enough money in your wallet for this investment', {
              details: { reason: REFUSAL.INSUFFICIENT_FUNDS },
            });
          }
          throw error;
        }
        await announceInvestment(ctx, tx, investment, updated);
        await recordAudit(ctx, tx, {
          actor: { id: user.id, email: user.email },
          action: 'investment.created',
          target: { type: 'investment', id: investment.id },
          after: { poolId: pool.id, amountCents: input.amountCents, shares: formatShares(shares) },
          ip: ctx.ip,
        });
        return investmentView(investment);
      },
    ),
  );
  return value;
}

/**
 * Gives an investment's money back to its owner's wallet and takes its shares out of the pool, inside the caller's
 * transaction: used when an investor cancels while the pool is PENDING, and for every investment when a pool is
 * cancelled.
 */
export async function refundInvestment(
  deps: ServiceDeps,
  tx: Db,
  investment: Investment,
  status: 'CANCELLED' | 'REFUNDED',
  actor: { id: string; email: string } | null,
): Promise<void> {
  const { investments, pools } = deps.database.schema;
  const now = deps.clock.now();
  // The pool first (the lock order investing uses too), and only money that never traded goes back: once a pool has
  // capital, taking an investment out at cost would move everyone else's value.
  const [locked] = await forUpdate(tx.select().from(pools).where(eq(pools.id, investment.poolId)).limit(1));
  if (!locked || !['PENDING', 'CANCELLED'].includes(locked.status) || locked.capitalCents !== 0) {
    throw new AppError(
      'CONFLICT',
      `Investments can only be refunded before the pool trades; this one is ${locked?.status ?? 'gone'}`,
    );
  }
  const [changed] = await tx
    .update(investments)
    .set({ status, updatedAt: now })
    .where(and(eq(investments.id, investment.id), eq(investments.status, 'ACTIVE')))
    .returning();
  if (!changed) {
    throw new AppError('CONFLICT', 'This investment is no longer active');
  }
  await transfer(deps.database, tx, {
    from: accounts.capital(investment.poolId),
    to: accounts.cash(investment.userId),
    amountCents: investment.amountCents,
    kind: status === 'CANCELLED' ? 'INVEST_CANCEL' : 'REFUND',
    idempotencyKey: `refund:${investment.id}`,
    reference: { investmentId: investment.id, poolId: investment.poolId },
    at: now,
  });
  const others = await holdsShares(tx, deps.database.schema, investment.userId, investment.poolId);
  const [pool] = await tx
    .update(pools)
    .set({
      raisedCents: sql`${pools.raisedCents} - ${investment.amountCents}`,
      equityCents: sql`${pools.equityCents} - ${investment.amountCents}`,
      totalShares: sql`${pools.totalShares} - ${investment.shares}`,
      investorCount: others ? pools.investorCount : sql`${pools.investorCount} - 1`,
      updatedAt: now,
    })
    .where(eq(pools.id, investment.poolId))
    .returning();
  if (!pool) {
    throw new Error('refund for a missing pool');
  }
  await announceInvestment(deps, tx, changed, pool);
  await recordAudit(deps, tx, {
    actor,
    action: status === 'CANCELLED' ? 'investment.cancelled' : 'investment.refunded',
    target: { type: 'investment', id: investment.id },
    after: { poolId: investment.poolId, amountCents: investment.amountCents },
  });
}

/** The owner cancels while the pool is still PENDING: the money goes back to the wallet. Others get NOT_FOUND. */
export async function cancelInvestment(ctx: Context, investmentId: string): Promise<InvestmentView> {
  const user = requireUser(ctx);
  const { investments, pools } = ctx.database.schema;
  return eventsTransaction(ctx, async (tx) => {
    const [investment] = await tx
      .select()
      .from(investments)
      .where(and(eq(investments.id, investmentId), eq(investments.userId, user.id)))
      .limit(1);
    if (!investment) {
      throw new AppError('NOT_FOUND', 'No such investment');
    }
    const [pool] = await tx
      .select({ status: pools.status })
      .from(pools)
      .where(eq(pools.id, investment.poolId))
      .limit(1);
    if (pool?.status !== 'PENDING') {
      throw new AppError('CONFLICT', 'Investments can only be cancelled while the pool is PENDING');
    }
    await refundInvestment(ctx, tx, investment, 'CANCELLED', { id: user.id, email: user.email });
    const [after] = await tx.select().from(investments).where(eq(investments.id, investmentId)).limit(1);
    return investmentView(after ?? investment);
  });
}

/** Every investment of a cancelled pool back to its owner, in the cancellation's transaction. */
export async function refundPool(
  deps: ServiceDeps,
  tx: Db,
  poolId: string,
  actor: { id: string; email: string } | null,
): Promise<number> {
  const { investments } = deps.database.schema;
  const active = await tx
    .select()
    .from(investments)
    .where(and(eq(investments.poolId, poolId), eq(investments.status, 'ACTIVE')));
  for (const investment of active) {
    await refundInvestment(deps, tx, investment, 'REFUNDED', actor);
  }
  return active.length;
}
