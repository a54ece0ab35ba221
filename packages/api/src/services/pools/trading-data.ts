import { navPerShare } from '@tradepool/domain';
import { and, asc, desc, eq, gte } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { findPool } from './pools-service';

export async function recentTrades(deps: ServiceDeps, poolId: string, limit: number) {
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

export async function currentPositions(deps: ServiceDeps, poolId: string) {
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

/** Equity and NAV over time (oldest first), thinned to at most `points` so a chart stays light. */
export async function pnlSeries(deps: ServiceDeps, poolId: string, since: Date | null, points: number) {
  const pool = await findPool(deps, poolId);
  const { pnlSnapshots } = deps.database.schema;
  const rows = await deps.database.db
    .select()
    .from(pnlSnapshots)
    .where(and(eq(pnlSnapshots.poolId, poolId), since ? gte(pnlSnapshots.at, since) : undefined))
    .orderBy(asc(pnlSnapshots.at), asc(pnlSnapshots.id))
    .limit(20_000);
  const step = Math.max(1, Math.ceil(rows.length / points));
  const thinned = rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
  return thinned.map((s) => ({
    at: s.at.toISOString(),
    equityCents: s.equityCents,
    realizedPnlCents: s.realizedPnlCents,
    unrealizedPnlCents: s.unrealizedPnlCents,
    navPerShare: navPerShare(s.equityCents, pool.totalShares),
  }));
}

export function modelStatus(pool: { modelStatus: unknown; lastHeartbeatAt: Date | null }) {
  return {
    status: (pool.modelStatus ?? null) as {
      message?: string;
      metrics?: Record<string, unknown>;
      at?: string;
    } | null,
    lastHeartbeatAt: pool.lastHeartbeatAt?.toISOString() ?? null,
  };
}
