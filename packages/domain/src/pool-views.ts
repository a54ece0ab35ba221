import { z } from 'zod';
import { PoolStatusSchema } from './enums';
import { PoolViewSchema } from './pools';

/**
 * The trading shapes clients (and the trading model) receive about a pool, declared once: each is the `.output()` of
 * its procedure and, through its inferred type, the return type of the service building it.
 */

export const PoolListViewSchema = z.object({ items: z.array(PoolViewSchema) });
export type PoolListView = z.infer<typeof PoolListViewSchema>;

/** Who moved a pool from one status to the next: a signed-in user, or the scheduler at the pool's dates. */
export const POOL_TRANSITION_TRIGGERS = ['USER', 'SCHEDULER'] as const;

export const PoolHistoryEntrySchema = z.object({
  id: z.string(),
  fromStatus: PoolStatusSchema.nullable(),
  toStatus: PoolStatusSchema,
  at: z.string(),
  trigger: z.enum(POOL_TRANSITION_TRIGGERS),
  actorEmail: z
    .string()
    .nullable()
    .describe('who acted; null for investors (staff addresses are not shown to them)'),
});
export type PoolHistoryEntry = z.infer<typeof PoolHistoryEntrySchema>;

export const TRADE_SIDES = ['BUY', 'SELL'] as const;

export const TradeViewSchema = z.object({
  id: z.string(),
  /** The model's own id for the trade, when it sent one. */
  tradeId: z.string().nullable(),
  side: z.enum(TRADE_SIDES),
  symbol: z.string(),
  quantity: z.string(),
  price: z.string(),
  feeCents: z.number().int().nullable(),
  executedAt: z.string(),
});
export type TradeView = z.infer<typeof TradeViewSchema>;

export const PositionViewSchema = z.object({
  symbol: z.string(),
  quantity: z.string(),
  avgEntryPrice: z.string(),
  markPrice: z.string(),
  unrealizedPnlCents: z.number().int().nullable(),
  asOf: z.string(),
});
export type PositionView = z.infer<typeof PositionViewSchema>;

/** One point of a pool's equity and NAV curve. */
export const PnlPointSchema = z.object({
  at: z.string(),
  equityCents: z.number().int(),
  realizedPnlCents: z.number().int(),
  unrealizedPnlCents: z.number().int(),
  navPerShare: z.string(),
});
export type PnlPoint = z.infer<typeof PnlPointSchema>;

/** The model's last status report for a pool, as it sent it. */
export const ModelStatusReportSchema = z.object({
  message: z.string().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  at: z.string().optional(),
});
export type ModelStatusReport = z.infer<typeof ModelStatusReportSchema>;

export const ModelStatusViewSchema = z.object({
  status: ModelStatusReportSchema.nullable(),
  lastHeartbeatAt: z.string().nullable(),
});
export type ModelStatusView = z.infer<typeof ModelStatusViewSchema>;

/** What the trading model needs to know about one pool it trades (CONTRACT §7). */
export const ModelPoolViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  pair: z.string(),
  status: z.string(),
  capitalCents: z.number().int(),
  equityCents: z.number().int(),
  /** Model time of the newest accepted PnL report, or null before the first. */
  lastReportAt: z.string().nullable(),
  /** Every movement of capital, oldest first, each stamped with the time it joined the pool. */
  capitalFlows: z.array(z.object({ at: z.string(), amountCents: z.number().int() })),
});
export type ModelPoolView = z.infer<typeof ModelPoolViewSchema>;

export const ModelPoolListViewSchema = z.object({ items: z.array(ModelPoolViewSchema) });
export type ModelPoolListView = z.infer<typeof ModelPoolListViewSchema>;
