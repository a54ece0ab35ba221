import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  accountKinds,
  investmentStatuses,
  type JsonObject,
  mailStatuses,
  paymentProviders,
  paymentPurposes,
  paymentStatuses,
  subscriptionSources,
  withdrawalStatuses,
} from '../types';
import { createdAt, idColumn, instant, updatedAt } from './columns';
import { pools } from './pools';
import { users } from './users';

/**
 * Double-entry ledger accounts. Ids are meaningful (`user:<id>:cash`, `pool:<id>:capital`, `external`, …);
 * `balanceCents` only changes through transfers, with a conditional update that keeps it ≥ 0 unless `allowNegative`.
 */
export const ledgerAccounts = sqliteTable('ledger_accounts', {
  id: text().primaryKey(),
  kind: text({
    enum: accountKinds,
  }).notNull(),
  ownerId: text(),
  balanceCents: integer().notNull().default(0),
  allowNegative: integer({ mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Immutable transfers: one per movement of money, written with the change that caused it. */
export const ledgerTransfers = sqliteTable(
  'ledger_transfers',
  {
    id: idColumn(),
    fromAccountId: text()
      .notNull()
      .references(() => ledgerAccounts.id),
    toAccountId: text()
      .notNull()
      .references(() => ledgerAccounts.id),
    amountCents: integer().notNull(),
    kind: text().notNull(),
    /** Replaying a transfer with the same key is a no-op. */
    idempotencyKey: text().notNull(),
    reference: text({ mode: 'json' }).$type<JsonObject>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_transfers_idempotency_key_unique').on(t.idempotencyKey),
    index('ledger_transfers_from_account_id_idx').on(t.fromAccountId, t.createdAt),
    index('ledger_transfers_to_account_id_idx').on(t.toAccountId, t.createdAt),
  ],
);

export const investments = sqliteTable(
  'investments',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id),
    poolId: text()
      .notNull()
      .references(() => pools.id),
    amountCents: integer().notNull(),
    /** Micro-shares minted at the NAV of the moment. */
    shares: integer().notNull(),
    status: text({ enum: investmentStatuses }).notNull().default('ACTIVE'),
    payoutCents: integer(),
    feeCents: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('investments_user_id_idx').on(t.userId, t.createdAt),
    index('investments_pool_id_idx').on(t.poolId, t.status),
  ],
);

export const withdrawals = sqliteTable(
  'withdrawals',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id),
    amountCents: integer().notNull(),
    status: text({ enum: withdrawalStatuses }).notNull().default('REQUESTED'),
    reason: text(),
    reference: text(),
    /** Where the investor asked to be paid (IBAN and holder, or free-text bank details); null on older requests. */
    payoutDestination: text(),
    decidedById: text(),
    decidedAt: instant(),
    paidAt: instant(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('withdrawals_user_id_idx').on(t.userId, t.createdAt),
    index('withdrawals_status_idx').on(t.status, t.createdAt),
  ],
);

/** `Idempotency-Key` answers, per user: the same key and body get the first answer back, another body a 409. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    userId: text().notNull(),
    key: text().notNull(),
    requestHash: text().notNull(),
    response: text({ mode: 'json' }).$type<JsonObject>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key] }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

/** Payments through the provider (demo or Stripe Checkout), completed once. */
export const payments = sqliteTable(
  'payments',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id),
    purpose: text({ enum: paymentPurposes }).notNull(),
    amountCents: integer().notNull(),
    provider: text({ enum: paymentProviders }).notNull(),
    providerRef: text(),
    status: text({ enum: paymentStatuses }).notNull().default('PENDING'),
    completedAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payments_provider_ref_unique').on(t.providerRef),
    index('payments_user_id_idx').on(t.userId, t.createdAt),
  ],
);

/** Stripe webhook events already handled (by event id). */
export const stripeEvents = sqliteTable('stripe_events', {
  id: text().primaryKey(),
  type: text().notNull(),
  receivedAt: instant().notNull(),
});

export const subscriptionPeriods = sqliteTable(
  'subscription_periods',
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => users.id),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    amountCents: integer().notNull(),
    source: text({ enum: subscriptionSources }).notNull(),
    paymentId: text(),
    createdAt: createdAt(),
  },
  (t) => [index('subscription_periods_user_id_idx').on(t.userId, t.startsAt)],
);

/** Mail to send: sent through SMTP when configured, otherwise kept here for admins to read. */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: idColumn(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    kind: text().notNull(),
    /** Makes "once per period" mails (reminders) idempotent. */
    dedupeKey: text(),
    status: text({ enum: mailStatuses }).notNull().default('QUEUED'),
    attempts: integer().notNull().default(0),
    error: text(),
    sentAt: instant(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('mail_outbox_dedupe_key_unique').on(t.dedupeKey),
    index('mail_outbox_status_idx').on(t.status, t.createdAt),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerTransfer = typeof ledgerTransfers.$inferSelect;
export type Investment = typeof investments.$inferSelect;
export type Withdrawal = typeof withdrawals.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type MailMessage = typeof mailOutbox.$inferSelect;
