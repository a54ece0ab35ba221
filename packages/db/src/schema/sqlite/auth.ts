import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, idColumn, instant } from './columns';
import { users } from './users';

/** One-time TOTP recovery codes, stored hashed. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_id_idx').on(t.userId)],
);

/**
 * Rotating refresh tokens, stored hashed. A login starts a family; each refresh marks its token used and issues the
 * next one in the family. Presenting a used token again is reuse: the whole family is revoked.
 */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: text().notNull(),
    tokenHash: text().notNull(),
    createdAt: createdAt(),
    expiresAt: instant().notNull(),
    /** Absolute end of the family: rotation never extends a session past it. */
    familyExpiresAt: instant().notNull(),
    usedAt: instant(),
    revokedAt: instant(),
    revokedReason: text(),
    replacedById: text(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_token_hash_unique').on(t.tokenHash),
    index('refresh_tokens_user_id_idx').on(t.userId),
    index('refresh_tokens_family_id_idx').on(t.familyId),
  ],
);
