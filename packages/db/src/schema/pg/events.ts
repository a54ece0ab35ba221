import { bigint, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { JsonObject } from '../types';
import { createdAt } from './columns';

/**
 * Every event a client may see, written in the transaction that caused it. The monotonic `id` is the resume cursor
 * clients send back after a reconnect; the (poolId, id) and (userId, id) indexes serve "everything after N" reads.
 */
export const events = pgTable(
  'events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: text().notNull(),
    poolId: text(),
    userId: text(),
    payload: jsonb().$type<JsonObject>().notNull(),
    at: createdAt(),
  },
  (t) => [
    index('events_pool_id_id_idx').on(t.poolId, t.id),
    index('events_user_id_id_idx').on(t.userId, t.id),
  ],
);

/** Named to avoid shadowing the DOM/Node global `Event`. */
export type StoredEvent = typeof events.$inferSelect;
export type NewStoredEvent = typeof events.$inferInsert;
