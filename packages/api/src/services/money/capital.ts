import type { Db } from '@tradepool/db';
import { and, eq, gt, inArray, lte, sql, sum } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';

/**
 * A pool's capital (CONTRACT §6): what its investors put in that trades. It becomes the raised amount when the pool
 * turns ACTIVE and grows with each investment while ACTIVE; every such movement is a `pool_capital_flows` row stamped
 * with the time it joined, so a late PnL report can be judged against the capital it actually saw.
 */

/** Columns a PENDING → ACTIVE update sets: the raised money starts trading at NAV 1 with no PnL yet. */
export function activationColumns(pools: ServiceDeps['database']['schema']['pools']) {
  return {
    capitalCents: sql`${pools.raisedCents}`,
    equityCents: sql`${pools.raisedCents}`,
    realizedPnlCents: 0,
    unrealizedPnlCents: 0,
    equityAsOf: null,
  };
}

/**
 * One ACTIVATION flow per just-activated pool with money in it, stamped `at`, in one INSERT … SELECT whatever the
 * number of pools (the scheduler activates thousands per tick). The id is derived from the pool id: a pool is
 * activated once, so a second insert for it would be a bug and fails on the primary key.
 */
export async function insertActivationFlows(
  deps: Pick<ServiceDeps, 'database'>,
  tx: Db,
  poolIds: string[],
  at: Date,
): Promise<void> {
  if (poolIds.length === 0) {
    return;
  }
  const { pools, poolCapitalFlows } = deps.database.schema;
  // Dates bound through a date column, so each dialect gets its own encoding (timestamptz text or epoch ms).
  const stamp = sql.param(at, pools.startDate);
  // Columns in the table's order: INSERT … SELECT lists every column of pool_capital_flows.
  const rows = tx
    .select({
      id: sql<string>`'activation_' || ${pools.id}`.as('id'),
      poolId: pools.id,
      at: sql`${stamp}`.as('at'),
      amountCents: pools.capitalCents,
      kind: sql<string>`'ACTIVATION'`.as('kind'),
      investmentId: sql<string | null>`null`.as('investment_id'),
      createdAt: sql`${stamp}`.as('created_at'),
    })
    .from(pools)
    .where(and(inArray(pools.id, poolIds), gt(pools.capitalCents, 0)));
  await tx.insert(poolCapitalFlows).select(rows);
}

/** The flow of an investment made while ACTIVE, stamped when it was made. */
export async function insertInvestmentFlow(
  deps: ServiceDeps,
  tx: Db,
  input: { poolId: string; investmentId: string; amountCents: number; at: Date },
): Promise<void> {
  const { poolCapitalFlows } = deps.database.schema;
  await tx.insert(poolCapitalFlows).values({
    poolId: input.poolId,
    investmentId: input.investmentId,
    amountCents: input.amountCents,
    kind: 'INVESTMENT',
    at: input.at,
    createdAt: input.at,
  });
}

/** The pool's capital as of `at`: the sum of its flows stamped at or before it (0 before activation). */
export async function capitalAsOf(
  deps: Pick<ServiceDeps, 'database'>,
  handle: Db,
  poolId: string,
  at: Date,
): Promise<number> {
  const { poolCapitalFlows } = deps.database.schema;
  const [row] = await handle
    .select({ total: sum(poolCapitalFlows.amountCents) })
    .from(poolCapitalFlows)
    .where(and(eq(poolCapitalFlows.poolId, poolId), lte(poolCapitalFlows.at, at)));
  return Number(row?.total ?? 0);
}
