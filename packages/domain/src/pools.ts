import { z } from 'zod';
import { POOL_STATUSES, type PoolStatus, RISK_LEVELS, STRATEGIES, type Strategy } from './vocabulary';

/** Who moves a pool: a person with a role, or the scheduler acting on the pool's dates. */
export type PoolActor = 'MANAGER' | 'ADMIN' | 'SCHEDULER';

export const POOL_ACTIONS = [
  'publish',
  'activate',
  'pause',
  'resume',
  'close',
  'beginSettlement',
  'settle',
  'cancel',
] as const;
export type PoolAction = (typeof POOL_ACTIONS)[number];

interface Transition {
  from: readonly PoolStatus[];
  to: PoolStatus;
  by: readonly PoolActor[];
}

const PEOPLE = ['MANAGER', 'ADMIN'] as const;

/**
 * Every way a pool's status may change, and who may do it. Anything not listed is illegal: the services ask
 * `transition()` and never set a status by hand.
 */
export const POOL_TRANSITIONS: Record<PoolAction, Transition> = {
  publish: { from: ['PENDING'], to: 'ACTIVE', by: PEOPLE },
  activate: { from: ['PENDING'], to: 'ACTIVE', by: ['SCHEDULER'] },
  pause: { from: ['ACTIVE'], to: 'PAUSED', by: PEOPLE },
  resume: { from: ['PAUSED'], to: 'ACTIVE', by: PEOPLE },
  close: { from: ['ACTIVE', 'PAUSED'], to: 'CLOSED', by: ['SCHEDULER'] },
  beginSettlement: { from: ['CLOSED'], to: 'SETTLING', by: ['SCHEDULER'] },
  settle: { from: ['SETTLING'], to: 'SETTLED', by: PEOPLE },
  cancel: { from: ['PENDING'], to: 'CANCELLED', by: PEOPLE },
};

export const TERMINAL_STATUSES: readonly PoolStatus[] = ['SETTLED', 'CANCELLED'];

export type TransitionResult =
  | { ok: true; from: PoolStatus; to: PoolStatus }
  | { ok: false; reason: 'not_allowed_from_status' | 'not_allowed_for_actor'; message: string };

export function transition(status: PoolStatus, action: PoolAction, actor: PoolActor): TransitionResult {
  const rule = POOL_TRANSITIONS[action];
  if (!rule.by.includes(actor)) {
    return { ok: false, reason: 'not_allowed_for_actor', message: `${actor} cannot ${action} a pool` };
  }
  if (!rule.from.includes(status)) {
    return {
      ok: false,
      reason: 'not_allowed_from_status',
      message: `Cannot ${action} a pool that is ${status}; allowed from ${rule.from.join(' or ')}`,
    };
  }
  return { ok: true, from: status, to: rule.to };
}

export const StrategyTemplateSchema = z.object({
  strategy: z.enum(STRATEGIES),
  name: z.string(),
  description: z.string(),
  pair: z.string(),
  riskLevel: z.enum(RISK_LEVELS),
  targetAmountCents: z.number().int(),
  minInvestmentCents: z.number().int(),
  /** Trading period the template suggests, from start to end. */
  durationDays: z.number().int(),
  /** Days between end and settlement. */
  settleAfterDays: z.number().int(),
});
export type StrategyTemplate = z.infer<typeof StrategyTemplateSchema>;

/** The five strategy templates that prefill the create form. */
export const STRATEGY_TEMPLATES: Record<Strategy, StrategyTemplate> = {
  MOMENTUM_BTC: {
    strategy: 'MOMENTUM_BTC',
    name: 'Momentum BTC',
    description: 'Rides sustained Bitcoin trends with trailing stops; sits in cash when momentum fades.',
    pair: 'BTC/USDT',
    riskLevel: 'MEDIUM',
    targetAmountCents: 5_000_000,
    minInvestmentCents: 10_000,
    durationDays: 30,
    settleAfterDays: 1,
  },
  SWING_ETH: {
    strategy: 'SWING_ETH',
    name: 'Swing ETH',
    description: 'Multi-day Ether swings between support and resistance, sized by volatility.',
    pair: 'ETH/USDT',
    riskLevel: 'MEDIUM',
    targetAmountCents: 3_000_000,
    minInvestmentCents: 5_000,
    durationDays: 21,
    settleAfterDays: 1,
  },
  MEAN_REVERSION_SOL: {
    strategy: 'MEAN_REVERSION_SOL',
    name: 'Mean Reversion SOL',
    description: 'Fades short-term Solana overreactions back towards the moving average.',
    pair: 'SOL/USDT',
    riskLevel: 'HIGH',
    targetAmountCents: 2_000_000,
    minInvestmentCents: 5_000,
    durationDays: 14,
    settleAfterDays: 1,
  },
  BREAKOUT_ALTCOINS: {
    strategy: 'BREAKOUT_ALTCOINS',
    name: 'Breakout Altcoins',
    description: 'Buys range breakouts across a basket of liquid altcoins; high risk, high dispersion.',
    pair: 'ALT/USDT',
    riskLevel: 'HIGH',
    targetAmountCents: 1_500_000,
    minInvestmentCents: 2_500,
    durationDays: 14,
    settleAfterDays: 2,
  },
  MARKET_NEUTRAL: {
    strategy: 'MARKET_NEUTRAL',
    name: 'Market Neutral',
    description: 'Long/short pairs with near-zero net exposure, aiming for steady returns in any market.',
    pair: 'BTC/ETH',
    riskLevel: 'LOW',
    targetAmountCents: 10_000_000,
    minInvestmentCents: 10_000,
    durationDays: 60,
    settleAfterDays: 1,
  },
};

const MAX_CENTS = 1_000_000_000_00; // one billion dollars: far above any pool, far below 2^53.

/**
 * A JSON number exactly as sent. The REST adapter (trpc-to-openapi) switches plain number schemas to coercion, which
 * would turn the string "1e2" into 100; behind this wrapper the number schema is out of its reach, so a string stays
 * a refused string.
 */
export function strictNumber<T extends z.ZodType>(schema: T, openapi: Record<string, unknown>) {
  return z.preprocess((value) => value, schema).meta({ override: openapi });
}

/** Integer cents, positive, safe: refuses floats, strings, negatives and absurd values with a clear message. */
export const Cents = strictNumber(
  z
    .number({ error: 'must be an integer number of cents' })
    .int('must be an integer number of cents')
    .positive('must be greater than zero')
    .max(MAX_CENTS, 'is too large'),
  { type: 'integer', minimum: 1, maximum: MAX_CENTS, description: 'US cents' },
);

const IsoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

/**
 * The fields a manager sets on a pool, declared once: `CreatePoolInput` and `UpdatePoolInput` are built from this
 * object, and the service stores each one in the column of the same name (the ISO date-times in
 * `POOL_DATE_FIELDS` as dates). A new field here, its column and its place in `PoolViewSchema` are all the server needs.
 */
export const poolFields = {
  name: z.string().trim().min(3, 'must be at least 3 characters').max(80, 'must be at most 80 characters'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters'),
  strategy: z.enum(STRATEGIES),
  pair: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{2,10}\/[A-Z0-9]{2,10}$/, 'must look like BASE/QUOTE, e.g. BTC/USDT'),
  riskLevel: z.enum(RISK_LEVELS),
  targetAmountCents: Cents,
  minInvestmentCents: Cents,
  startDate: IsoDateTime,
  endDate: IsoDateTime,
  settleDate: IsoDateTime,
};
export type PoolFieldName = keyof typeof poolFields;

/** The pool fields sent as ISO 8601 date-times and stored as dates. */
export const POOL_DATE_FIELDS = [
  'startDate',
  'endDate',
  'settleDate',
] as const satisfies readonly PoolFieldName[];
export type PoolDateField = (typeof POOL_DATE_FIELDS)[number];

export const CreatePoolInput = z.strictObject({
  ...poolFields,
  description: poolFields.description.default(''),
  settleDate: poolFields.settleDate.optional(),
});
export type CreatePoolInput = z.infer<typeof CreatePoolInput>;

/** Any declared field may be sent; which ones may change depends on the pool's status (`EDITABLE_FIELDS`). */
export const UpdatePoolInput = z.strictObject({
  id: z.string().min(1).max(64),
  ...z.object(poolFields).partial().shape,
});
export type UpdatePoolInput = z.infer<typeof UpdatePoolInput>;

/** A pool as every client sees it (CONTRACT.md §3 `pool`): the `.output()` of every procedure answering a pool. */
export const PoolViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  strategy: z.enum(STRATEGIES),
  pair: z.string(),
  riskLevel: z.enum(RISK_LEVELS),
  status: z.enum(POOL_STATUSES),
  targetAmountCents: z.number().int(),
  raisedCents: z.number().int(),
  minInvestmentCents: z.number().int(),
  startDate: z.string(),
  endDate: z.string(),
  settleDate: z.string(),
  navPerShare: z.string().describe('decimal string, 6 places'),
  capitalCents: z
    .number()
    .int()
    .describe('money that trades: raised by ACTIVE plus investments while ACTIVE'),
  equityCents: z
    .number()
    .int()
    .describe('capital + realized + unrealized PnL from the last report, never below 0'),
  investorCount: z.number().int(),
  performanceFeeBps: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PoolView = z.infer<typeof PoolViewSchema>;

export interface PoolDates {
  startDate: Date;
  endDate: Date;
  settleDate: Date;
}

/**
 * The date rules of a pool: start in the future (only checked while it has not started), end after start, settle on
 * or after end. Returns the problems by field, empty when the dates are valid.
 */
export function poolDateProblems(
  dates: PoolDates,
  now: Date,
  options: { startMustBeFuture: boolean },
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (options.startMustBeFuture && dates.startDate.getTime() <= now.getTime()) {
    problems.startDate = 'must be in the future';
  }
  if (dates.endDate.getTime() <= dates.startDate.getTime()) {
    problems.endDate = 'must be after the start date';
  }
  if (dates.settleDate.getTime() < dates.endDate.getTime()) {
    problems.settleDate = 'must be on or after the end date';
  }
  return problems;
}

export function poolAmountProblems(input: {
  targetAmountCents: number;
  minInvestmentCents: number;
}): Record<string, string> {
  return input.minInvestmentCents > input.targetAmountCents
    ? { minInvestmentCents: 'must not exceed the target amount' }
    : {};
}
