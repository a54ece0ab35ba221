import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { newId } from '../../id';
import type { JsonObject } from '../types';
import { createdAt } from './columns';

/**
 * Append-only audit trail. Each entry's `hash` covers its content and `prevHash`, the hash of the entry before it in
 * `seq` order, so an edited or deleted row breaks the chain. No foreign key to users: the trail outlives accounts,
 * which is why the actor's email is copied in.
 */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    // AUTOINCREMENT: a seq is never reused, even after the newest rows are deleted.
    seq: integer().primaryKey({ autoIncrement: true }),
    id: text().notNull().$defaultFn(newId),
    at: createdAt(),
    actorId: text(),
    actorEmail: text(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    before: text({ mode: 'json' }).$type<JsonObject>(),
    after: text({ mode: 'json' }).$type<JsonObject>(),
    ip: text(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    uniqueIndex('audit_entries_id_unique').on(t.id),
    uniqueIndex('audit_entries_hash_unique').on(t.hash),
    index('audit_entries_actor_id_idx').on(t.actorId),
    index('audit_entries_action_idx').on(t.action),
    index('audit_entries_at_idx').on(t.at),
  ],
);
