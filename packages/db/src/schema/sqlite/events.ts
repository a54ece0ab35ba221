import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { JsonObject } from '../types';
import { createdAt } from './columns';

/**
 * Every event a client may see, written in the transaction that caused it. The monotonic `id` is the resume cursor
 * clients send back after a reconnect; the (poolId, id) and (userId, id) indexes serve "everything after N" reads.
 */
export const events = sqliteTable(
  'events',
  {
    // AUTOINCREMENT: an id is never reused, even after pruning the newest rows, so client cursors stay valid.
    id: integer().primaryKey({ autoIncrement: true }),
    type: text().notNull(),
    poolId: text(),
    userId: text(),
    payload: text({ mode: 'json' }).$type<JsonObject>().notNull(),
    at: createdAt(),
    /**
     * Postgres only (the writing transaction's id, which readers compare with their snapshot's xmin). SQLite has one
     * writer, so ids already become visible in order; the column exists to keep the dialects' shapes equal.
     */
    xactId: integer().default(sql`NULL`),
  },
  (t) => [
    index('events_pool_id_id_idx').on(t.poolId, t.id),
    // Only events addressed to a user: readers always ask `user_id = ?`, and the pool events (nearly all of them) no
    // longer each add an entry nobody reads.
    index('events_user_id_id_idx').on(t.userId, t.id).where(sql`"user_id" is not null`),
  ],
);
