import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { userRoles } from '../types';
import { createdAt, idColumn, instant, updatedAt } from './columns';

export const users = pgTable(
  'users',
  {
    id: idColumn(),
    /** Lower-cased by the application before it is stored, so the unique index is case-insensitive in effect. */
    email: text().notNull(),
    passwordHash: text().notNull(),
    displayName: text().notNull(),
    role: text({ enum: userRoles }).notNull().default('INVESTOR'),
    disabledAt: instant(),
    /** Copied into every token; bumping it revokes every session of the user at once. */
    tokenVersion: integer().notNull().default(0),
    totpSecretEnc: text(),
    totpEnabledAt: instant(),
    /** The last accepted TOTP time step: a code is never accepted twice. */
    totpLastUsedStep: integer(),
    totpFailures: integer().notNull().default(0),
    totpLockedUntil: instant(),
    subscriptionExpiresAt: instant(),
    hasActiveSubscription: boolean().notNull().default(false),
    autoRenew: boolean().notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
