import { type Db, forUpdate, type Pool } from '@tradepool/db';
import {
  AppError,
  navPerShare,
  REFUSAL,
  type SettlementView,
  settlementOverrideBounds,
  settlePayouts,
} from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { applyPoolAction } from '../pools/transitions';
import { holdsShares } from './holdings';
import { investmentView } from './investments';
import { accounts, balanceOf, transfer } from './ledger';
import { dollars, queueMail } from './mail';
import { announceWallet } from './user-events';

export interface SettlementRequest {
  /** Override of the final equity: ADMIN only, with a reason, within 5 % of the reported equity. */
  finalEquityCents?: number | undefined;
  reason?: string | undefined;
}

/** Test-only fault injection: called between the legs of a settlement to prove a failure rolls everything back. */
export type SettlementFault = (step: string) => void;

/**
 * Who may settle at what (CONTRACT §6): nobody who holds shares in the pool; the final equity is the one the model's
 * last report supports unless an ADMIN overrides it, with a reason, by at most 5 %. Checked the same way by the
 * preview and the settlement, so the preview shows exactly what will be posted.
 */
async function authorizeSettlement(
  ctx: Context,
  handle: Db,
  pool: Pool,
  request: SettlementRequest,
  options: { requireReason: boolean },
): Promise<{
  finalEquityCents: number;
  defaultFinalEquityCents: number;
  overridden: boolean;
  reason: string | null;
}> {
  const actor = requireUser(ctx);
  if (actor.role === 'INVESTOR') {
    throw new AppError('FORBIDDEN', 'Managers and admins only');
  }
  if (await holdsShares(handle, ctx.database.schema, actor.id, pool.id)) {
    throw new AppError('FORBIDDEN', 'You hold shares in this pool: someone else must settle it', {
      details: { reason: REFUSAL.HOLDS_SHARES },
    });
  }
  const defaultFinalEquityCents = pool.equityCents;
  const requested = request.finalEquityCents;
  const reason = request.reason?.trim() || null;
  if (requested === undefined || requested === defaultFinalEquityCents) {
    return { finalEquityCents: defaultFinalEquityCents, defaultFinalEquityCents, overridden: false, reason };
  }
  if (actor.role !== 'ADMIN') {
    throw new AppError(
      'FORBIDDEN',
      `Only an admin may override the final equity; a manager settles at the reported ${dollars(defaultFinalEquityCents)}`,
      { details: { reason: REFUSAL.OVERRIDE_NEEDS_ADMIN } },
    );
  }
  if (options.requireReason && !reason) {
    throw new AppError('BAD_REQUEST', 'Invalid input: reason is required to override the final equity', {
      fields: { reason: 'is required to override the final equity' },
    });
  }
  const { minCents, maxCents } = settlementOverrideBounds(defaultFinalEquityCents);
  if (requested < minCents || requested > maxCents) {
    throw new AppError(
      'CONFLICT',
      `finalEquityCents ${requested} is outside the allowed ${minCents}–${maxCents} (within 5 % of the reported equity ${defaultFinalEquityCents})`,
      {
        fields: { finalEquityCents: `must be between ${minCents} and ${maxCents}` },
        details: {
          reason: REFUSAL.OVERRIDE_OUT_OF_BOUNDS,
          minCents,
          maxCents,
          defaultFinalEquityCents,
        },
      },
    );
  }
  return { finalEquityCents: requested, defaultFinalEquityCents, overridden: true, reason };
}

async function computeSettlement(
  ctx: Context,
  handle: Db,
  pool: Pool,
  request: SettlementRequest,
  options: { requireReason: boolean },
): Promise<SettlementView & { reason: string | null }> {
  const { investments, users } = ctx.database.schema;
  const poolId = pool.id;
  const holdings = await handle
    .select({ investment: investments, email: users.email })
    .from(investments)
    .innerJoin(users, eq(users.id, investments.userId))
    .where(and(eq(investments.poolId, poolId), eq(investments.status, 'ACTIVE')))
    .orderBy(investments.createdAt, investments.id);
  const decision = await authorizeSettlement(ctx, handle, pool, request, options);
  // With no shares outstanding there is nobody to pay: the final value is necessarily zero.
  const finalEquityCents = holdings.length === 0 ? 0 : decision.finalEquityCents;
  const bounds = settlementOverrideBounds(decision.defaultFinalEquityCents);
  const capitalCents = await balanceOf(ctx.database, handle, accounts.capital(poolId).id);
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
    defaultFinalEquityCents: decision.defaultFinalEquityCents,
    overrideMinCents: bounds.minCents,
    overrideMaxCents: bounds.maxCents,
    overridden: decision.overridden,
    reason: decision.reason,
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

/** What settling now would post, under the same rules (a missing reason aside: the form asks for it last). */
export async function previewSettlement(
  ctx: Context,
  poolId: string,
  request: SettlementRequest = {},
): Promise<SettlementView> {
  const { pools } = ctx.database.schema;
  const [pool] = await ctx.database.db.select().from(pools).where(eq(pools.id, poolId)).limit(1);
  if (!pool) {
    throw new AppError('NOT_FOUND', 'No such pool');
  }
  const { reason: _reason, ...plan } = await computeSettlement(ctx, ctx.database.db, pool, request, {
    requireReason: false,
  });
  return plan;
}

/**
 * SETTLING → SETTLED with the final equity, in one transaction: the trading result moves between the pool's trading
 * and capital accounts, every holding is redeemed into its owner's wallet less the fee on profit, the fees go to
 * platform revenue, and the capital account ends at zero. Any failure rolls all of it back; settling twice is a 409.
 */
export async function settlePool(
  ctx: Context,
  poolId: string,
  request: SettlementRequest = {},
  fault?: SettlementFault,
): Promise<SettlementView> {
  const actor = requireUser(ctx);
  const role = actor.role;
  if (role === 'INVESTOR') {
    throw new AppError('FORBIDDEN', 'Managers and admins only');
  }
  const { pools, investments, users } = ctx.database.schema;
  return eventsTransaction(ctx, async (tx) => {
    // Locked: a PnL report landing meanwhile must not change the equity this settlement pays out.
    const [pool] = await forUpdate(tx.select().from(pools).where(eq(pools.id, poolId)).limit(1));
    if (!pool) {
      throw new AppError('NOT_FOUND', 'No such pool');
    }
    if (pool.status !== 'SETTLING') {
      throw new AppError('CONFLICT', `Only a SETTLING pool can be settled; this one is ${pool.status}`);
    }
    const { reason: overrideReason, ...plan } = await computeSettlement(ctx, tx, pool, request, {
      requireReason: true,
    });
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
        defaultFinalEquityCents: plan.defaultFinalEquityCents,
        overridden: plan.overridden,
        reason: plan.overridden ? overrideReason : null,
        feesCents: plan.feesCents,
        payouts: plan.payouts.length,
      },
      ip: ctx.ip,
    });
    return plan;
  });
}
