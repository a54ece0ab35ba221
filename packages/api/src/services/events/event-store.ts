import type { Database, Db, JsonObject, StoredEvent } from '@tradepool/db';
import type { Clock, LiveEvent, LiveEventType } from '@tradepool/domain';
import { and, asc, eq, gt, lte, max, type SQL, sql } from 'drizzle-orm';

/**
 * Postgres advisory lock key that serialises event appends until commit. Identity values are handed out at insert
 * time; without this, a transaction holding id 10 could commit after one holding id 11, and a reader that already
 * moved past 11 would never see 10. With it, ids become visible in order, which is what resuming by id relies on.
 */
const EVENTS_LOCK_KEY = 74_280_002;

export interface NewEvent {
  type: LiveEventType;
  poolId?: string | null;
  /** For `user_` events: whose. Never sent to clients. */
  userId?: string | null;
  data: JsonObject;
}

/**
 * Runs `fn` in a transaction that may append events: on Postgres it takes the events lock first, before any row
 * lock, so two such transactions can never wait on each other in opposite orders (pool row vs. events lock); after
 * the commit the dispatchers are woken.
 */
export function eventsTransaction<T>(
  deps: { database: Database; bus: { notify(): void } },
  fn: (tx: Db) => Promise<T>,
): Promise<T> {
  return deps.database.transaction(
    async (tx) => {
      if (deps.database.dialect === 'postgres') {
        await tx.execute(sql`select pg_advisory_xact_lock(${EVENTS_LOCK_KEY})`);
      }
      return fn(tx);
    },
    { afterCommit: () => deps.bus.notify() },
  );
}

/** Stores an event in the caller's transaction: it exists exactly when the change it announces does. */
export async function appendEvent(
  deps: { database: Database; clock: Clock },
  tx: Db,
  event: NewEvent,
): Promise<number> {
  const { events } = deps.database.schema;
  if (deps.database.dialect === 'postgres') {
    await tx.execute(sql`select pg_advisory_xact_lock(${EVENTS_LOCK_KEY})`);
  }
  const [row] = await tx
    .insert(events)
    .values({
      type: event.type,
      poolId: event.poolId ?? null,
      userId: event.userId ?? null,
      payload: event.data,
      at: deps.clock.now(),
    })
    .returning({ id: events.id });
  if (!row) {
    throw new Error('event insert returned no id');
  }
  return row.id;
}

export function toLiveEvent(row: StoredEvent): LiveEvent {
  return {
    id: String(row.id),
    type: row.type as LiveEventType,
    ...(row.poolId ? { poolId: row.poolId } : {}),
    at: row.at.toISOString(),
    data: row.payload,
  };
}

export async function latestEventId(database: Database): Promise<number> {
  const { events } = database.schema;
  const [row] = await database.db.select({ id: max(events.id) }).from(events);
  return Number(row?.id ?? 0);
}

/** Events after `afterId` (exclusive) up to `upToId` (inclusive), oldest first, for one pool, one user, or all. */
export async function readEvents(
  database: Database,
  filter: { afterId: number; upToId?: number; poolId?: string; userId?: string; limit: number },
): Promise<StoredEvent[]> {
  const { events } = database.schema;
  const conditions: SQL[] = [gt(events.id, filter.afterId)];
  if (filter.upToId !== undefined) {
    conditions.push(lte(events.id, filter.upToId));
  }
  if (filter.poolId !== undefined) {
    conditions.push(eq(events.poolId, filter.poolId));
  }
  if (filter.userId !== undefined) {
    conditions.push(eq(events.userId, filter.userId));
  }
  return database.db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.id))
    .limit(filter.limit);
}
