import { encodedPlaceholder, transactionStatement } from '@tradepool/db';
import { eq, sql } from 'drizzle-orm';

/**
 * The statements every accepted delivery runs, prepared once per SQLite database (see `transactionStatement`):
 * building and preparing them per delivery was 40 % of its CPU. Values are placeholders; each statement's callers
 * pass them all.
 */

/** Claims the webhook-id; no row back means it was claimed before (a duplicate). */
export const claimWebhookId = transactionStatement('webhook_claim', (tx, { webhookMessages }) =>
  tx
    .insert(webhookMessages)
    .values({
      webhookId: sql.placeholder('webhookId'),
      poolId: sql.placeholder('poolId'),
      eventType: sql.placeholder('eventType'),
      receivedAt: sql.placeholder('receivedAt'),
    })
    .onConflictDoNothing({ target: webhookMessages.webhookId })
    .returning({ webhookId: webhookMessages.webhookId }),
);

/**
 * Reads the pool's status and stamps its heartbeat in one statement. `updatedAt` is given explicitly: drizzle would
 * otherwise fill it once, when the statement is built.
 */
export const stampHeartbeat = transactionStatement('webhook_pool_heartbeat', (tx, { pools }) =>
  tx
    .update(pools)
    .set({
      lastHeartbeatAt: encodedPlaceholder(pools.lastHeartbeatAt, 'now'),
      updatedAt: encodedPlaceholder(pools.updatedAt, 'updatedAt'),
    })
    .where(eq(pools.id, sql.placeholder('poolId')))
    .returning({ id: pools.id, status: pools.status }),
);

/** Records the live event a claimed webhook-id produced, for the answer to its duplicates. */
export const recordEventId = transactionStatement('webhook_event_id', (tx, { webhookMessages }) =>
  tx
    .update(webhookMessages)
    .set({ eventId: encodedPlaceholder(webhookMessages.eventId, 'eventId') })
    .where(eq(webhookMessages.webhookId, sql.placeholder('webhookId'))),
);

export const insertDelivery = transactionStatement('webhook_delivery_log', (tx, { webhookDeliveries }) =>
  tx.insert(webhookDeliveries).values({
    id: sql.placeholder('id'),
    webhookId: sql.placeholder('webhookId'),
    receivedAt: sql.placeholder('receivedAt'),
    outcome: sql.placeholder('outcome'),
    httpStatus: sql.placeholder('httpStatus'),
    reason: sql.placeholder('reason'),
    eventType: sql.placeholder('eventType'),
    poolId: sql.placeholder('poolId'),
    ip: sql.placeholder('ip'),
    bodyBytes: sql.placeholder('bodyBytes'),
  }),
);

export const insertTrade = transactionStatement('webhook_trade', (tx, { trades }) =>
  tx.insert(trades).values({
    id: sql.placeholder('id'),
    poolId: sql.placeholder('poolId'),
    externalId: sql.placeholder('externalId'),
    side: sql.placeholder('side'),
    symbol: sql.placeholder('symbol'),
    quantity: sql.placeholder('quantity'),
    price: sql.placeholder('price'),
    feeCents: sql.placeholder('feeCents'),
    executedAt: sql.placeholder('executedAt'),
    webhookId: sql.placeholder('webhookId'),
    createdAt: sql.placeholder('createdAt'),
  }),
);
