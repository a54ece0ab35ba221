import {
  type Database,
  type Db,
  type JsonObject,
  type StoredEvent,
  transactionStatement,
} from '@tradepool/db';
import type { Clock, LiveEvent, LiveEventType } from '@tradepool/domain';
import { and, asc, count, eq, gt, isNull, lt, lte, max, type SQL, sql } from 'drizzle-orm';

/** 2^16: must match `tradepool_next_event_id()` in the Postgres migrations (id = xact_id * 2^16 + position). */
const EVENTS_PER_TRANSACTION = 65_536;

export interface NewEvent {
  type: LiveEventType;
  poolId?: string | null;
  /** For `user_` events: whose. Never sent to clients. */
  userId?: string | null;
  data: JsonObject;
}

/**
 * Runs `fn` in a transaction that may append events and wakes this process's dispatcher after the commit. No lock is
 * taken: concurrent writers append freely, and readers see ids in commit-safe order through `readEvents` (ids carry
 * the writing transaction's id; see `committedBelow`). Other processes are woken by the `events` trigger's
 * `pg_notify`, which Postgres delivers on commit.
 */
export function eventsTransaction<T>(
  deps: { database: Database; bus: { notify(): void } },
  fn: (tx: Db) => Promise<T>,
): Promise<T> {
  return deps.database.transaction(fn, { afterCommit: () => deps.bus.notify() });
}

// On Postgres the id and xact_id come from column defaults (tradepool_next_event_id()), so any insert, even one
// written outside this module, gets an id readers can order safely. Prepared once per SQLite database (see
// `transactionStatement`): every webhook delivery and money movement appends one.
const insertEvent = transactionStatement('events_append', (tx, { events }) =>
  tx
    .insert(events)
    .values({
      type: sql.placeholder('type'),
      poolId: sql.placeholder('poolId'),
      userId: sql.placeholder('userId'),
      payload: sql.placeholder('payload'),
      at: sql.placeholder('at'),
    })
    .returning({ id: events.id }),
);

/** Stores an event in the caller's transaction: it exists exactly when the change it announces does. */
export async function appendEvent(
  deps: { database: Database; clock: Clock },
  tx: Db,
  event: NewEvent,
): Promise<number> {
  const [row] = await insertEvent(deps.database, tx, {
    type: event.type,
    poolId: event.poolId ?? null,
    userId: event.userId ?? null,
    payload: event.data,
    at: deps.clock.now(),
  });
  if (!row) {
    throw new Error('event insert returned no id');
  }
  return row.id;
}

/** A stored event as the dispatcher hands it on: the live event and who may see it. */
export interface DispatchRow {
  id: number;
  poolId: string | null;
  userId: string | null;
  event: LiveEvent;
}

/**
 * The live event of a stored row whose payload is still JSON text: `data` is parsed when first read (by a sink or
 * listener that sends it), so an event nobody is subscribed to is forwarded without being parsed. `at` is the row's
 * instant as ISO text (see `isoOf`). One object literal for every event: a user's event has `poolId` undefined, which
 * JSON leaves out on the wire (a spread of a conditional object made each event cost about twice as much to build).
 */
function liveEvent(row: {
  id: number;
  type: string;
  poolId: string | null;
  at: string;
  payload: string;
}): LiveEvent {
  let data: unknown;
  let parsed = false;
  return {
    id: String(row.id),
    type: row.type as LiveEventType,
    poolId: row.poolId ?? undefined,
    at: row.at,
    get data(): unknown {
      if (!parsed) {
        data = JSON.parse(row.payload);
        parsed = true;
      }
      return data;
    },
    set data(value: unknown) {
      data = value;
      parsed = true;
    },
  };
}

/**
 * `toISOString` of epoch milliseconds, remembering the last one: the rows of a page are read in id order and mostly
 * share their instant (a scheduler batch stamps its thousands of events with one), and a `Date` and its ISO text per
 * row were most of the cost of reading an event back.
 */
function isoOf(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
}

/**
 * The exclusive upper bound of ids that are final on Postgres: every transaction with an id below the snapshot's
 * `xmin` has finished, so every row it wrote is visible now and no row can still appear below the bound.
 *
 * This is the transaction-id visibility technique for Postgres outboxes and event stores described by Oskar Dudycz,
 * "How Postgres sequences issues can impact your messaging guarantees" (event-driven.io, 2022-10-28,
 * https://event-driven.io/en/ordering_in_postgres_outbox/): store `pg_current_xact_id()` with each row and read only
 * `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`, ordered by (transaction id, position); the PostgreSQL
 * manual defines xmin as the earliest transaction still active, every earlier one being committed or rolled back.
 * Tradepool's resume cursor is one number, so the event id itself is `xact_id * 2^16 + position` (see the `events`
 * schema), and "id below xmin * 2^16" is the same condition as "xact_id below xmin", served by the primary-key index.
 * A plain sequence id checked against a stored xact_id would not be enough: a transaction that got its xid early but
 * its event id late commits a higher id with a lower xid, and a reader would pass a lower id still in flight
 * (commit-order.test.ts has that case).
 */
function committedBelow(): SQL {
  return sql`((pg_snapshot_xmin(pg_current_snapshot())::text)::bigint * ${sql.raw(String(EVENTS_PER_TRANSACTION))})`;
}

/** The newest event id that is final (on Postgres, below every transaction still in flight). */
export async function latestEventId(database: Database): Promise<number> {
  const { events } = database.schema;
  const query = database.db.select({ id: max(events.id) }).from(events);
  const [row] = await (database.dialect === 'postgres'
    ? query.where(lt(events.id, committedBelow()))
    : query);
  return Number(row?.id ?? 0);
}

/** The newest event id committed so far, final or not (on Postgres an older transaction may still be open). */
export async function latestCommittedId(database: Database): Promise<number> {
  const { events } = database.schema;
  const [row] = await database.db.select({ id: max(events.id) }).from(events);
  return Number(row?.id ?? 0);
}

interface ReadFilter {
  afterId: number;
  upToId?: number;
  poolId?: string;
  userId?: string;
  limit: number;
}

/** The rows `readEvents` and `readDispatchRows` return: only final ids, in the filter's range and scope. */
function readConditions(database: Database, filter: ReadFilter): SQL | undefined {
  const { events } = database.schema;
  const conditions: SQL[] = [gt(events.id, filter.afterId)];
  if (filter.upToId !== undefined) {
    conditions.push(lte(events.id, filter.upToId));
  }
  if (database.dialect === 'postgres') {
    conditions.push(lt(events.id, committedBelow()));
  }
  if (filter.poolId !== undefined) {
    // An event addressed to one user is never part of a pool's stream, even if it names the pool.
    conditions.push(eq(events.poolId, filter.poolId), isNull(events.userId));
  }
  if (filter.userId !== undefined) {
    conditions.push(eq(events.userId, filter.userId));
  }
  return and(...conditions);
}

/**
 * Events after `afterId` (exclusive) up to `upToId` (inclusive), oldest first, for one pool, one user, or all. Only
 * final ids are returned (on Postgres, those below every transaction still in flight), so a reader that advances its
 * cursor to the last row returned can never skip an event committed later.
 */
export async function readEvents(database: Database, filter: ReadFilter): Promise<StoredEvent[]> {
  const { events } = database.schema;
  return database.db
    .select()
    .from(events)
    .where(readConditions(database, filter))
    .orderBy(asc(events.id))
    .limit(filter.limit);
}

/**
 * `readEvents` as live events for the dispatcher and replays: the payload is read as the JSON text stored (jsonb's
 * text on Postgres) and parsed only if someone reads the event's `data` (see `liveEvent`). On SQLite the rows come
 * back as better-sqlite3's arrays: drizzle's mapping of each row was four fifths of reading an event back
 * (7.7 µs of CPU per event against 1.5 µs, docs/performance.md, scheduler).
 */
export async function readDispatchRows(database: Database, filter: ReadFilter): Promise<DispatchRow[]> {
  const { events } = database.schema;
  const where = readConditions(database, filter);
  if (database.dialect === 'sqlite') {
    const rows = (await (database.db as unknown as SqliteValues).values(
      sql`select ${events.id}, ${events.type}, ${events.poolId}, ${events.userId}, ${events.at}, ${events.payload} from ${events} where ${where} order by ${events.id} limit ${filter.limit}`,
    )) as [number, string, string | null, string | null, number, string][];
    const iso = isoOf();
    return rows.map(([id, type, poolId, userId, at, payload]) => ({
      id,
      poolId,
      userId,
      event: liveEvent({ id, type, poolId, at: iso(at), payload }),
    }));
  }
  const rows = await database.db
    .select({
      id: events.id,
      type: events.type,
      poolId: events.poolId,
      userId: events.userId,
      at: events.at,
      payload: sql<string>`${events.payload}::text`,
    })
    .from(events)
    .where(where)
    .orderBy(asc(events.id))
    .limit(filter.limit);
  const iso = isoOf();
  return rows.map((row) => ({
    id: row.id,
    poolId: row.poolId,
    userId: row.userId,
    event: liveEvent({ ...row, at: iso(row.at.getTime()) }),
  }));
}

/** The raw-rows query of drizzle's SQLite handle (absent from the Postgres handle type services are written against). */
interface SqliteValues {
  values(query: SQL): Promise<unknown[][]>;
}

/** How many events of a pool or user follow `afterId`, counting no further than `limit`. */
export async function countEvents(
  database: Database,
  filter: { afterId: number; poolId?: string; userId?: string; limit: number },
): Promise<number> {
  const { events } = database.schema;
  const conditions: SQL[] = [gt(events.id, filter.afterId)];
  if (filter.poolId !== undefined) {
    // An event addressed to one user is never part of a pool's stream, even if it names the pool.
    conditions.push(eq(events.poolId, filter.poolId), isNull(events.userId));
  }
  if (filter.userId !== undefined) {
    conditions.push(eq(events.userId, filter.userId));
  }
  const ids = database.db
    .select({ id: events.id })
    .from(events)
    .where(and(...conditions))
    .limit(filter.limit)
    .as('ids');
  const [row] = await database.db.select({ n: count() }).from(ids);
  return Number(row?.n ?? 0);
}
