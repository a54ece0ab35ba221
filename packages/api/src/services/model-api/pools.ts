import { type ModelPoolView, TRADING_STATUSES } from '@tradepool/domain';
import { asc, inArray } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';

/** What the trading model needs to know about one pool it trades (CONTRACT §7); the simulator takes the same. */
export type ModelPool = ModelPoolView;

/** Flows are read for this many pools per query, so a large platform never builds one enormous IN list. */
const CHUNK = 500;

/**
 * The pools the model trades (ACTIVE, PAUSED, CLOSED, SETTLING) with their capital and its history. The model API and
 * the built-in demo model both read it here, so the demo trades exactly what an outside model would be told.
 */
export async function listModelPools(deps: ServiceDeps): Promise<ModelPoolView[]> {
  const { pools, poolCapitalFlows } = deps.database.schema;
  const db = deps.database.db;
  const rows = await db
    .select()
    .from(pools)
    .where(inArray(pools.status, [...TRADING_STATUSES]))
    .orderBy(asc(pools.createdAt), asc(pools.id));
  const flows = new Map<string, ModelPoolView['capitalFlows']>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const ids = rows.slice(i, i + CHUNK).map((p) => p.id);
    const chunk = await db
      .select({
        poolId: poolCapitalFlows.poolId,
        at: poolCapitalFlows.at,
        amountCents: poolCapitalFlows.amountCents,
      })
      .from(poolCapitalFlows)
      .where(inArray(poolCapitalFlows.poolId, ids))
      .orderBy(asc(poolCapitalFlows.at), asc(poolCapitalFlows.id));
    for (const flow of chunk) {
      const list = flows.get(flow.poolId) ?? [];
      list.push({ at: flow.at.toISOString(), amountCents: flow.amountCents });
      flows.set(flow.poolId, list);
    }
  }
  return rows.map((pool) => ({
    id: pool.id,
    name: pool.name,
    pair: pool.pair,
    status: pool.status,
    capitalCents: pool.capitalCents,
    equityCents: pool.equityCents,
    lastReportAt: pool.equityAsOf?.toISOString() ?? null,
    capitalFlows: flows.get(pool.id) ?? [],
  }));
}
