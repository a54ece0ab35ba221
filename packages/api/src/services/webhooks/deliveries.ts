import type { DeliveryView, HeartbeatView, IngestStats } from '@tradepool/domain';
import { and, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';

export interface DeliveryQuery {
  outcome?: 'ACCEPTED' | 'DUPLICATE' | 'REFUSED' | undefined;
  poolId?: string | undefined;
  /** Deliveries received before this ISO time (the previous page's last `receivedAt`). */
  before?: Date | undefined;
  limit: number;
}

export async function listDeliveries(deps: ServiceDeps, query: DeliveryQuery): Promise<DeliveryView[]> {
  const { webhookDeliveries } = deps.database.schema;
  const conditions: SQL[] = [];
  if (query.outcome) {
    conditions.push(eq(webhookDeliveries.outcome, query.outcome));
  }
  if (query.poolId) {
    conditions.push(eq(webhookDeliveries.poolId, query.poolId));
  }
  if (query.before) {
    conditions.push(lt(webhookDeliveries.receivedAt, query.before));
  }
  const rows = await deps.database.db
    .select()
    .from(webhookDeliveries)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
    .limit(query.limit);
  return rows.map((d) => ({
    id: d.id,
    webhookId: d.webhookId,
    receivedAt: d.receivedAt.toISOString(),
    outcome: d.outcome,
    httpStatus: d.httpStatus,
    reason: d.reason,
    eventType: d.eventType,
    poolId: d.poolId,
    ip: d.ip,
    bodyBytes: d.bodyBytes,
  }));
}

/** The model's last sign of life per trading pool. */
export async function heartbeats(deps: ServiceDeps): Promise<HeartbeatView[]> {
  const { pools } = deps.database.schema;
  const rows = await deps.database.db
    .select({ id: pools.id, name: pools.name, status: pools.status, lastHeartbeatAt: pools.lastHeartbeatAt })
    .from(pools)
    .where(inArray(pools.status, ['ACTIVE', 'PAUSED', 'CLOSED', 'SETTLING']));
  return rows.map((r) => ({
    poolId: r.id,
    name: r.name,
    status: r.status,
    lastHeartbeatAt: r.lastHeartbeatAt?.toISOString() ?? null,
  }));
}

/** Ingest over the last hour, per minute, and refusals over the last day: the admin dashboard's figures. */
export async function ingestStats(deps: ServiceDeps): Promise<IngestStats> {
  const { webhookDeliveries } = deps.database.schema;
  const now = deps.clock.now().getTime();
  const hourAgo = new Date(now - 60 * 60_000);
  const dayAgo = new Date(now - 24 * 60 * 60_000);
  const lastHour = await deps.database.db
    .select({ receivedAt: webhookDeliveries.receivedAt, outcome: webhookDeliveries.outcome })
    .from(webhookDeliveries)
    .where(gte(webhookDeliveries.receivedAt, hourAgo))
    .limit(200_000);
  const perMinute = Array.from({ length: 60 }, (_, i) => ({
    minute: new Date(Math.floor((now - (59 - i) * 60_000) / 60_000) * 60_000).toISOString(),
    accepted: 0,
    refused: 0,
  }));
  for (const row of lastHour) {
    const index = 59 - Math.floor((now - row.receivedAt.getTime()) / 60_000);
    const bucket = perMinute[index];
    if (bucket) {
      if (row.outcome === 'REFUSED') {
        bucket.refused++;
      } else {
        bucket.accepted++;
      }
    }
  }
  const refusedLastDay = await deps.database.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.outcome, 'REFUSED'), gte(webhookDeliveries.receivedAt, dayAgo)))
    .limit(100_000);
  const lastMinute = perMinute[59];
  return {
    perMinute,
    acceptedLastHour: perMinute.reduce((sum, b) => sum + b.accepted, 0),
    acceptedLastMinute: lastMinute?.accepted ?? 0,
    refusedLastDay: refusedLastDay.length,
  };
}
