import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { JsonObject } from '../types';
import { createdAt } from './columns';

/**
 * Every event a client may see, written in the transaction that caused it. The monotonic `id` is the resume cursor
 * clients send back after a reconnect; the (poolId, id) and (userId, id) indexes serve "everything after N" reads.
 *
 * On Postgres the id is not a sequence value: it is `xact_id * 2^16 + n` (the writing transaction's
 * `pg_current_xact_id()` and the event's position in that transaction), from `tradepool_next_event_id()` in the
 * migrations. Ordering by id is then ordering by transaction id, and every row whose `xact_id` is below the readers'
 * snapshot `xmin` is final: readers stop there and never skip a late commit (ARCHITECTURE.md "Live events").
 */
export const events = pgTable(
  'events',
  {
    id: bigint({ mode: 'number' }).primaryKey().default(sql`tradepool_next_event_id()`),
    type: text().notNull(),
    poolId: text(),
    userId: text(),
    payload: jsonb().$type<JsonObject>().notNull(),
    at: createdAt(),
    /** `pg_current_xact_id()` of the writing transaction (null on rows older than this column). */
    xactId: bigint({ mode: 'number' }).default(sql`(pg_current_xact_id()::text)::bigint`),
  },
  (t) => [
    index('events_pool_id_id_idx').on(t.poolId, t.id),
    // Only events addressed to a user: readers always ask `user_id = ?`, and the pool events (nearly all of them) no
    // longer each add an entry nobody reads.
    index('events_user_id_id_idx').on(t.userId, t.id).where(sql`"user_id" is not null`),
  ],
);

/** Named to avoid shadowing the DOM/Node global `Event`. */
export type StoredEvent = typeof events.$inferSelect;
export type NewStoredEvent = typeof events.$inferInsert;
