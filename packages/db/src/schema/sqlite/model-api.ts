import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, idColumn, instant } from './columns';
import { users } from './users';

/**
 * Keys the trading model uses on `/api/v1/model/*` (CONTRACT §7). Only the SHA-256 of a key is stored: the key is
 * shown once at creation; `prefix` is the first characters, enough for an admin to tell keys apart.
 */
export const modelApiKeys = sqliteTable(
  'model_api_keys',
  {
    id: idColumn(),
    name: text().notNull(),
    keyHash: text().notNull(),
    prefix: text().notNull(),
    createdAt: createdAt(),
    createdById: text().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: instant(),
    lastUsedAt: instant(),
  },
  (t) => [
    uniqueIndex('model_api_keys_key_hash_unique').on(t.keyHash),
    index('model_api_keys_created_at_idx').on(t.createdAt),
  ],
);

export type ModelApiKey = typeof modelApiKeys.$inferSelect;
