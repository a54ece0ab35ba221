import type { Db } from '@tradepool/db';
import { AppError, navPerShare, settlePayouts } from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { applyPoolAction } from '../pools/transitions';
import { investmentView } from './investments';
import { accounts, balanceOf, transfer } from './ledger';
import { dollars, queueMail } from './mail';
import { announceWallet } from './user-events';

export interface SettlementPreview {
  poolId: string;
  finalEquityCents: number;
  capitalCents: number;
  gainCents: number;
  feesCents: number;
  navPerShare: string;
  payouts: {
    investmentId: string;
    userId: string;
    email: string;
    amountCents: number;
    grossCents: number;
    feeCents: number;
    payoutCents: number;
  }[];
}

/** Test-only fault injection: called between the legs of a settlement to prove a failure rolls everything back. */
export type SettlementFault = (step: string) => void;

async function computeSettlement(
  deps: ServiceDeps,
  handle: Db,
  poolId: string,
  finalEquityOverride: number | undefined,
): Promise<SettlementPreview> {
  const { pools, investments, users } = deps.database.schema;
  const [pool] = await handle.select().from(pools).where(eq(pools.id, poolId)).limit(1);
  if (!pool) {
    throw new AppError('NOT_FOUND', 'No such pool');
  }
  const holdings = await handle
    .select({ investment: investments, email: users.email })
    .from(investments)
    .innerJoin(users, eq(users.id, investments.userId))
    .where(and(eq(investments.poolId, poolId), eq(investments.status, 'ACTIVE')))
    .orderBy(investments.createdAt, investments.id);
  // With no shares outstanding there is nobody to pay: the final value is necessarily zero.
  const finalEquityCents = holdings.length === 0 ? 0 : (finalEquityOverride ?? pool.equityCents);
  const capitalCents = await balanceOf(deps.database, handle, accounts.capital(poolId).id);
  const split = settlePayouts(
    finalEquityCents,
    holdings.map((h) => ({
      investmentId: h.investment.id,
      userId: h.investment.userId,
      shares: h.investment.shares,
      costCents: h.investment.amountCents,
    })),
    pool.performanceFeeBps,
  );
  return {
    poolId,
    finalEquityCents,
    capitalCents,
    gainCents: finalEquityCents - capitalCents,
    feesCents: split.feesCents,
    navPerShare: navPerShare(finalEquityCents, pool.totalShares),
    payouts: split.payouts.map((p, i) => ({
      ...p,
      email: holdings[i]?.email ?? '',
      amountCents: holdings[i]?.investment.amountCents ?? 0,
    })),
  };
}

export function previewSettlement(
  ctx: Context,
  poolId: string,
  finalEquityCents?: number,
): Promise<SettlementPreview> {
  return computeSettlement(ctx, ctx.database.db, poolId, finalEquityCents);
}

/**
 * SETTLING → SETTLED with the final equity, in one transaction: the trading result moves between the pool's trading
 * and capital accounts, every holding is redeemed into its owner's wallet less the fee on profit, the fees go to
 * platform revenue, and the capital account ends at zero. Any failure rolls all of it back; settling twice is a 409.
 */
export async function settlePool(
  ctx: Context,
  poolId: string,
  finalEquityCents?: number,
  fault?: SettlementFault,
): Promise<SettlementPreview> {
  const actor = requireUser(ctx);
  const role = actor.role;
  if (role === 'INVESTOR') {
    throw new AppError('FORBIDDEN', 'Managers and admins only');
  }
  const { pools, investments, users } = ctx.database.schema;
  return eventsTransaction(ctx, async (tx) => {
    const [pool] = await tx.select().from(pools).where(eq(pools.id, poolId)).limit(1);
    if (!pool) {
      throw new AppError('NOT_FOUND', 'No such pool');
    }
    if (pool.status !== 'SETTLING') {
      throw new AppError('CONFLICT', `Only a SETTLING pool can be settled; this one is ${pool.status}`);
    }
    const plan = await computeSettlement(ctx, tx, poolId, finalEquityCents);
    const now = ctx.clock.now();
    const reference = { poolId };
    if (plan.gainCents > 0) {
      await transfer(ctx.database, tx, {
        from: accounts.trading(poolId),
        to: accounts.capital(poolId),
        amountCents: plan.gainCents,
        kind: 'SETTLE_GAIN',
        idempotencyKey: `settle:${poolId}:result`,
        reference,
        at: now,
      });
    } else if (plan.gainCents < 0) {
      await transfer(ctx.database, tx, {
        from: accounts.capital(poolId),
        to: accounts.trading(poolId),
        amountCents: -plan.gainCents,
        kind: 'SETTLE_LOSS',
        idempotencyKey: `settle:${poolId}:result`,
        reference,
        at: now,
      });
    }
    fault?.('after-result');
    for (const [index, payout] of plan.payouts.entries()) {
      if (payout.payoutCents > 0) {
        await transfer(ctx.database, tx, {
          from: accounts.capital(poolId),
          to: accounts.cash(payout.userId),
          amountCents: payout.payoutCents,
          kind: 'PAYOUT',
          idempotencyKey: `settle:${payout.investmentId}:payout`,
          reference: { poolId, investmentId: payout.investmentId },
          at: now,
        });
      }
      fault?.(`after-payout-${index}`);
      const [settled] = await tx
        .update(investments)
        .set({
          status: 'SETTLED',
          payoutCents: payout.payoutCents,
          feeCents: payout.feeCents,
          updatedAt: now,
        })
        .where(and(eq(investments.id, payout.investmentId), eq(investments.status, 'ACTIVE')))
        .returning();
      if (settled) {
        await appendEvent(ctx, tx, {
          type: 'investment:update',
          userId: settled.userId,
          data: { investment: { ...investmentView(settled) } },
        });
      }
    }
    if (plan.feesCents > 0) {
      await transfer(ctx.database, tx, {
        from: accounts.capital(poolId),
        to: accounts.revenue,
        amountCents: plan.feesCents,
        kind: 'FEE',
        idempotencyKey: `settle:${poolId}:fees`,
        reference,
        at: now,
      });
    }
    const capitalLeft = await balanceOf(ctx.database, tx, accounts.capital(poolId).id);
    if (capitalLeft !== 0) {
      throw new Error(`settlement of ${poolId} leaves ${capitalLeft} cents in capital`);
    }
    await tx
      .update(pools)
      .set({ equityCents: plan.finalEquityCents, updatedAt: now })
      .where(eq(pools.id, poolId));
    const [withEquity] = await tx.select().from(pools).where(eq(pools.id, poolId)).limit(1);
    if (!withEquity) {
      throw new Error('pool vanished during settlement');
    }
    await applyPoolAction(ctx, tx, withEquity, 'settle', {
      kind: role,
      user: { id: actor.id, email: actor.email },
      ip: ctx.ip,
    });
    const owners = new Set(plan.payouts.map((p) => p.userId));
    for (const userId of owners) {
      await announceWallet(ctx, tx, userId);
      const [owner] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
      const mine = plan.payouts.filter((p) => p.userId === userId).reduce((sum, p) => sum + p.payoutCents, 0);
      if (owner) {
        await queueMail(ctx, tx, {
          to: owner.email,
          subject: `${pool.name} has settled: ${dollars(mine)} paid to your wallet`,
          text: `Hello ${owner.displayName},\n\n${pool.name} has settled at ${plan.navPerShare} per share. ${dollars(mine)} is now in your wallet.\n`,
          kind: 'settlement',
        });
      }
    }
    await recordAudit(ctx, tx, {
      actor: { id: actor.id, email: actor.email },
      action: 'pool.settlement_paid',
      target: { type: 'pool', id: poolId },
      after: {
        finalEquityCents: plan.finalEquityCents,
        feesCents: plan.feesCents,
        payouts: plan.payouts.length,
      },
      ip: ctx.ip,
    });
    return plan;
  });
}
