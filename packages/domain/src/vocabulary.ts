/**
 * The words every package shares, declared once: the database's column values, the API's enums and the SPA's labels
 * all come from here. This module is plain constants (no zod, no node modules), so the SPA can import it through
 * `@tradepool/domain/vocabulary` without growing its bundle; the zod enums built from these lists are in `enums.ts`.
 */

/** Roles a user can hold (stored as text, so adding one needs no enum migration on Postgres). */
export const ROLE_VALUES = ['INVESTOR', 'MANAGER', 'ADMIN'] as const;
export type RoleName = (typeof ROLE_VALUES)[number];
/** The roles that run pools: they see the admin area and, with REQUIRE_ADMIN_2FA, must use a second factor. */
export const STAFF_ROLES: readonly RoleName[] = ['MANAGER', 'ADMIN'];

export const POOL_STATUSES = [
  'PENDING',
  'ACTIVE',
  'PAUSED',
  'CLOSED',
  'SETTLING',
  'SETTLED',
  'CANCELLED',
] as const;
export type PoolStatus = (typeof POOL_STATUSES)[number];

/** The statuses in which the trading model may report (CONTRACT.md §4). */
export const TRADING_STATUSES: readonly PoolStatus[] = ['ACTIVE', 'PAUSED', 'CLOSED', 'SETTLING'];
/** The statuses in which investors may buy shares. */
export const INVESTABLE_STATUSES: readonly PoolStatus[] = ['PENDING', 'ACTIVE'];

export const STRATEGIES = [
  'MOMENTUM_BTC',
  'SWING_ETH',
  'MEAN_REVERSION_SOL',
  'BREAKOUT_ALTCOINS',
  'MARKET_NEUTRAL',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const INVESTMENT_STATUSES = ['ACTIVE', 'CANCELLED', 'REFUNDED', 'SETTLED'] as const;
export type InvestmentStatus = (typeof INVESTMENT_STATUSES)[number];

export const WITHDRAWAL_STATUSES = ['REQUESTED', 'APPROVED', 'PAID', 'REJECTED', 'CANCELLED'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];
/** Withdrawals whose money is still held: they count as pending on the admin overview. */
export const PENDING_WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = ['REQUESTED', 'APPROVED'];

/** Ledger account kinds (`user:<id>:cash|held`, `pool:<id>:capital|trading`, `platform:revenue`, `external`). */
export const ACCOUNT_KINDS = [
  'USER_CASH',
  'USER_HELD',
  'POOL_CAPITAL',
  'POOL_TRADING',
  'PLATFORM_REVENUE',
  'EXTERNAL',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** What a ledger transfer records (the `kind` column of ledger_transfers). */
export const TRANSFER_KINDS = [
  'DEPOSIT',
  'SUBSCRIPTION',
  'INVEST',
  'INVEST_CANCEL',
  'REFUND',
  'SETTLE_GAIN',
  'SETTLE_LOSS',
  'PAYOUT',
  'FEE',
  'WITHDRAW_HOLD',
  'WITHDRAW_RELEASE',
  'WITHDRAW_PAYOUT',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const PAYMENT_PURPOSES = ['DEPOSIT', 'SUBSCRIPTION'] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];
export const PAYMENT_PROVIDERS = ['demo', 'stripe'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];
export const PAYMENT_STATUSES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
export const SUBSCRIPTION_SOURCES = ['PAYMENT', 'AUTO_RENEWAL', 'GRANT'] as const;
export type SubscriptionSource = (typeof SUBSCRIPTION_SOURCES)[number];
export const MAIL_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'OUTBOX'] as const;

/**
 * `details.reason` of a refused money or pool action (409 CONFLICT), which clients may compare to say what to do
 * next. Adding one is additive; renaming one breaks clients.
 */
export const REFUSAL_REASONS = [
  'INSUFFICIENT_FUNDS',
  'CAPACITY_EXCEEDED',
  'BELOW_MINIMUM',
  'POOL_NOT_OPEN',
  'POOL_CHANGED',
  'NAV_COLLAPSED',
  'SHARES_OUT_OF_RANGE',
  'HOLDS_SHARES',
  'IDEMPOTENCY_KEY_REUSED',
  'OVERRIDE_NEEDS_ADMIN',
  'OVERRIDE_OUT_OF_BOUNDS',
  'NO_CAPITAL',
  'EQUITY_MISMATCH',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Which fields an edit may change, by status: money terms freeze once money can be in, dates once they passed. */
export const EDITABLE_FIELDS: Record<PoolStatus, readonly string[]> = {
  PENDING: [
    'name',
    'description',
    'strategy',
    'pair',
    'riskLevel',
    'targetAmountCents',
    'minInvestmentCents',
    'startDate',
    'endDate',
    'settleDate',
  ],
  ACTIVE: ['name', 'description', 'targetAmountCents', 'endDate', 'settleDate'],
  PAUSED: ['name', 'description', 'targetAmountCents', 'endDate', 'settleDate'],
  CLOSED: ['name', 'description', 'settleDate'],
  SETTLING: ['name', 'description'],
  SETTLED: ['description'],
  CANCELLED: [],
};

/** The subscription price: $2 a month, in cents. */
export const SUBSCRIPTION_PRICE_CENTS = 200;
