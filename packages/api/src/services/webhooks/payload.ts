import { isPlainDecimal } from '@tradepool/domain';
import { isLosslessNumber, parse } from 'lossless-json';
import { z } from 'zod';

/** Deeper than this is not a trading event but an attack on the parser. */
export const MAX_DEPTH = 16;

/** Maximum nesting of objects/arrays, counted on the raw text (outside strings) before anything is parsed. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') {
        i++;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
    } else if (ch === '{' || ch === '[') {
      depth++;
      max = Math.max(max, depth);
    } else if (ch === '}' || ch === ']') {
      depth--;
    }
  }
  return max;
}

/**
 * JSON with every number kept as its source text (LosslessNumber), so `45000.10` is never a float on the way to
 * integer cents.
 */
export function parseLossless(text: string): unknown {
  return parse(text);
}

/** Free-form values (metrics) back to plain JSON numbers: they are for display, not money. */
export function toPlainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) {
    return Number(value.toString());
  }
  if (Array.isArray(value)) {
    return value.map(toPlainJson);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainJson(v)]));
  }
  return value;
}

const decimal = (what: string) =>
  z.preprocess(
    (v) => (isLosslessNumber(v) ? v.toString() : v),
    z
      .string({ error: `must be ${what}: a JSON number or a decimal string` })
      .refine(isPlainDecimal, `must be ${what}: a plain decimal (no exponent, at most 30 digits)`),
  );
const positive = (what: string) =>
  decimal(what).refine((v) => !v.startsWith('-') && /[1-9]/.test(v), 'must be greater than zero');
const nonNegative = (what: string) => decimal(what).refine((v) => !v.startsWith('-'), 'must not be negative');

const TradingSymbol = z
  .string({ error: 'must be a string like BTC/USDT' })
  .trim()
  .regex(/^[A-Z0-9]{1,12}([/-][A-Z0-9]{1,12})?$/, 'must look like BTC/USDT');
const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
const PoolId = z.string({ error: 'is required' }).min(1, 'is required').max(64, 'is too long');

export const ModelEvent = z.discriminatedUnion(
  'event',
  [
    z.object({
      event: z.literal('trade_executed'),
      poolId: PoolId,
      data: z.object({
        side: z.enum(['BUY', 'SELL'], { error: 'must be BUY or SELL' }),
        symbol: TradingSymbol,
        quantity: positive('a quantity'),
        price: positive('a price'),
        fee: nonNegative('a fee').optional(),
        tradeId: z.string().max(100).optional(),
        executedAt: Instant.optional(),
      }),
    }),
    z.object({
      event: z.literal('position_update'),
      poolId: PoolId,
      data: z.object({
        symbol: TradingSymbol,
        quantity: decimal('a signed quantity'),
        avgEntryPrice: nonNegative('a price'),
        markPrice: nonNegative('a price'),
        unrealizedPnl: decimal('an amount').optional(),
        at: Instant.optional(),
      }),
    }),
    z.object({
      event: z.literal('pnl_update'),
      poolId: PoolId,
      data: z.object({
        /** Optional cross-check only: the platform computes equity from its own capital (CONTRACT §6). */
        equity: nonNegative('an amount').optional(),
        realizedPnl: decimal('an amount'),
        unrealizedPnl: decimal('an amount'),
        at: Instant.optional(),
      }),
    }),
    z.object({
      event: z.literal('pool_update'),
      poolId: PoolId,
      data: z
        .object({
          message: z.string().max(500, 'must be at most 500 characters').optional(),
          metrics: z.record(z.string(), z.unknown()).optional(),
        })
        .default({}),
    }),
  ],
  { error: 'must be one of trade_executed, position_update, pnl_update, pool_update' },
);
export type ModelEvent = z.infer<typeof ModelEvent>;
