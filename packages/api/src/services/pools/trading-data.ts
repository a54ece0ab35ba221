import {
  formatMicros,
  ModelStatusReportSchema,
  type ModelStatusView,
  navPerShare,
  type PnlPoint,
  type PositionView,
  type TradeView,
} from '@tradepool/domain';
import { and, asc, count, desc, eq, gte, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { findPool } from './pools-service';

export async function recentTrades(deps: ServiceDeps, poolId: string, limit: number): Promise<TradeView[]> {
  await findPool(deps, poolId);
  const { trades } = deps.database.schema;
  const rows = await deps.database.db
    .select()
    .from(trades)
    .where(eq(trades.poolId, poolId))
    .orderBy(desc(trades.executedAt), desc(trades.id))
    .limit(limit);
  return rows.map((t) => ({
    id: t.id,
    tradeId: t.externalId,
    side: t.side,
    symbol: t.symbol,
    quantity: t.quantity,
    price: t.price,
    feeCents: t.feeCents,
    executedAt: t.executedAt.toISOString(),
  }));
}

export async function currentPositions(deps: ServiceDeps, poolId: string): Promise<PositionView[]> {
  await findPool(deps, poolId);
  const { positions } = deps.database.schema;
  const rows = await deps.database.db
    .select()
    .from(positions)
    .where(eq(positions.poolId, poolId))
    .orderBy(asc(positions.symbol));
  return rows.map((p) => ({
    symbol: p.symbol,
    quantity: p.quantity,
    avgEntryPrice: p.avgEntryPrice,
    markPrice: p.markPrice,
    unrealizedPnlCents: p.unrealizedPnlCents,
    asOf: p.asOf.toISOString(),
  }));
}

/**
 * Equity and NAV over time (oldest first) up to the newest report, thinned evenly to about `points` so a chart stays
 * light however long the range: every `step`-th snapshot counting back from the newest, which is always included.
 * Each point carries the NAV and equity stored when its report was accepted, so shares issued later never re-price
 * the past (rows written before capital accounting fall back to today's shares).
 */
export async function pnlSeries(
  deps: ServiceDeps,
  poolId: string,
  since: Date | null,
  points: number,
): Promise<PnlPoint[]> {
  const pool = await findPool(deps, poolId);
  const { pnlSnapshots } = deps.database.schema;
  const range = and(eq(pnlSnapshots.poolId, poolId), since ? gte(pnlSnapshots.at, since) : undefined);
  const [total] = await deps.database.db.select({ n: count() }).from(pnlSnapshots).where(range);
  const n = Number(total?.n ?? 0);
  if (n === 0) {
    return [];
  }
  const step = Math.max(1, Math.ceil(n / points));
  const ranked = deps.database.db
    .select({
      at: pnlSnapshots.at,
      id: pnlSnapshots.id,
      equityCents: pnlSnapshots.equityCents,
      realizedPnlCents: pnlSnapshots.realizedPnlCents,
      unrealizedPnlCents: pnlSnapshots.unrealizedPnlCents,
      navMicros: pnlSnapshots.navMicros,
      rank: sql<number>`row_number() over (order by ${pnlSnapshots.at} desc, ${pnlSnapshots.id} desc)`.as(
        'rank',
      ),
    })
    .from(pnlSnapshots)
    .where(range)
    .as('ranked');
  const rows = await deps.database.db
    .select()
    .from(ranked)
    .where(sql`(${ranked.rank} - 1) % ${step} = 0`)
    .orderBy(asc(ranked.at), asc(ranked.id));
  return rows.map((s) => ({
    at: s.at.toISOString(),
    equityCents: Number(s.equityCents),
    realizedPnlCents: Number(s.realizedPnlCents),
    unrealizedPnlCents: Number(s.unrealizedPnlCents),
    navPerShare:
      s.navMicros === null
        ? navPerShare(Number(s.equityCents), pool.totalShares)
        : formatMicros(BigInt(s.navMicros)),
  }));
}

/** The stored report is the model's validated `status` payload; parsing it again types it without a cast. */
export function modelStatus(pool: { modelStatus: unknown; lastHeartbeatAt: Date | null }): ModelStatusView {
  return {
    status: ModelStatusReportSchema.nullable().parse(pool.modelStatus ?? null),
    lastHeartbeatAt: pool.lastHeartbeatAt?.toISOString() ?? null,
  };
}
