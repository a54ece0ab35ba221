import {
  type DashboardSummary,
  PENDING_WITHDRAWAL_STATUSES,
  POOL_STATUSES,
  TERMINAL_STATUSES,
} from '@tradepool/domain';
import { and, count, eq, gt, inArray, sum } from 'drizzle-orm';
import type { Context } from '../../context';

/** Pools that hold or may still take money: every status but SETTLED and CANCELLED. */
const OPEN_POOL_STATUSES = POOL_STATUSES.filter((status) => !TERMINAL_STATUSES.includes(status));

/** The figures on the admin overview: money under management, open pools, subscribers, pending withdrawals. */
export async function dashboardSummary(ctx: Context): Promise<DashboardSummary> {
  const { pools, users, withdrawals } = ctx.database.schema;
  const now = ctx.clock.now();
  const [aum] = await ctx.database.db
    .select({ equity: sum(pools.equityCents), count: count() })
    .from(pools)
    .where(inArray(pools.status, OPEN_POOL_STATUSES));
  const [subscribers] = await ctx.database.db
    .select({ count: count() })
    .from(users)
    .where(gt(users.subscriptionExpiresAt, now));
  const [pending] = await ctx.database.db
    .select({ count: count(), amount: sum(withdrawals.amountCents) })
    .from(withdrawals)
    .where(inArray(withdrawals.status, [...PENDING_WITHDRAWAL_STATUSES]));
  const [investors] = await ctx.database.db
    .select({ count: count() })
    .from(users)
    .where(and(eq(users.role, 'INVESTOR')));
  return {
    aumCents: Number(aum?.equity ?? 0),
    openPools: Number(aum?.count ?? 0),
    activeSubscribers: Number(subscribers?.count ?? 0),
    investors: Number(investors?.count ?? 0),
    pendingWithdrawals: Number(pending?.count ?? 0),
    pendingWithdrawalsCents: Number(pending?.amount ?? 0),
  };
}
