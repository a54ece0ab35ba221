import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { JsonObject } from '../types';
import { createdAt, idColumn, instant } from './columns';
import { pools } from './pools';

/**
 * Decimal quantities and prices from the model are kept as exact decimal strings (never floats); money that belongs
 * to the pool (fees, PnL, equity) as integer cents.
 */
export const trades = pgTable(
  'trades',
  {
    id: idColumn(),
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    /** The model's own id for the trade, when it sends one. */
    externalId: text(),
    side: text({ enum: ['BUY', 'SELL'] }).notNull(),
    symbol: text().notNull(),
    quantity: text().notNull(),
    price: text().notNull(),
    feeCents: bigint({ mode: 'number' }),
    executedAt: instant().notNull(),
    webhookId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('trades_pool_id_executed_at_idx').on(t.poolId, t.executedAt)],
);

export const positions = pgTable(
  'positions',
  {
    id: idColumn(),
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    symbol: text().notNull(),
    /** Signed: negative is short. */
    quantity: text().notNull(),
    avgEntryPrice: text().notNull(),
    markPrice: text().notNull(),
    unrealizedPnlCents: bigint({ mode: 'number' }),
    /** The model's timestamp for this state: an older report never overwrites a newer one. */
    asOf: instant().notNull(),
    updatedAt: instant().notNull(),
  },
  (t) => [uniqueIndex('positions_pool_id_symbol_unique').on(t.poolId, t.symbol)],
);

export const pnlSnapshots = pgTable(
  'pnl_snapshots',
  {
    id: idColumn(),
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    at: instant().notNull(),
    /** The pool's computed equity this report produced (capital + PnL, ≥ 0), not the model's own figure. */
    equityCents: bigint({ mode: 'number' }).notNull(),
    realizedPnlCents: bigint({ mode: 'number' }).notNull(),
    unrealizedPnlCents: bigint({ mode: 'number' }).notNull(),
    /**
     * Capital and NAV (millionths of a dollar) at the moment the report was accepted, so the chart never rewrites the
     * past when shares change. Null on rows written before capital accounting.
     */
    capitalCents: bigint({ mode: 'number' }),
    navMicros: bigint({ mode: 'number' }),
    webhookId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('pnl_snapshots_pool_id_at_idx').on(t.poolId, t.at)],
);

/** One row per accepted webhook-id: the unique key that makes a re-delivery a no-op, in the effects' transaction. */
export const webhookMessages = pgTable('webhook_messages', {
  webhookId: text().primaryKey(),
  poolId: text().notNull(),
  eventType: text().notNull(),
  /** The live event it produced, returned again to a duplicate delivery. */
  eventId: text(),
  receivedAt: instant().notNull(),
});

/** Every delivery attempt, accepted or not: what the Integrations page shows. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: idColumn(),
    webhookId: text(),
    receivedAt: instant().notNull(),
    outcome: text({ enum: ['ACCEPTED', 'DUPLICATE', 'REFUSED'] }).notNull(),
    httpStatus: integer().notNull(),
    reason: text(),
    eventType: text(),
    poolId: text(),
    ip: text(),
    bodyBytes: integer().notNull(),
  },
  (t) => [
    index('webhook_deliveries_received_at_idx').on(t.receivedAt),
    index('webhook_deliveries_pool_id_received_at_idx').on(t.poolId, t.receivedAt),
    index('webhook_deliveries_outcome_received_at_idx').on(t.outcome, t.receivedAt),
  ],
);

/** Signing secrets, sealed with SECRETS_KEY. During a rotation the old one stays valid until `expiresAt`. */
export const webhookSecrets = pgTable('webhook_secrets', {
  id: idColumn(),
  secretEnc: text().notNull(),
  /** The first characters after `whsec_`, to tell secrets apart without revealing them. */
  hint: text().notNull(),
  createdAt: createdAt(),
  expiresAt: instant(),
  createdById: text(),
  meta: jsonb().$type<JsonObject>(),
});

export type Trade = typeof trades.$inferSelect;
export type Position = typeof positions.$inferSelect;
export type PnlSnapshot = typeof pnlSnapshots.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookSecret = typeof webhookSecrets.$inferSelect;
