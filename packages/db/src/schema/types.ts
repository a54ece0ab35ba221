/** Roles a user can hold; stored as text so adding one needs no enum migration on Postgres. */
export const userRoles = ['INVESTOR', 'MANAGER', 'ADMIN'] as const;
export type UserRole = (typeof userRoles)[number];

/** A JSON object column value (jsonb on Postgres, JSON text on SQLite). */
export type JsonObject = { [key: string]: unknown };

/** Pool lifecycle statuses (the transitions live in @tradepool/domain). */
export const poolStatuses = [
  'PENDING',
  'ACTIVE',
  'PAUSED',
  'CLOSED',
  'SETTLING',
  'SETTLED',
  'CANCELLED',
] as const;
export const strategies = [
  'MOMENTUM_BTC',
  'SWING_ETH',
  'MEAN_REVERSION_SOL',
  'BREAKOUT_ALTCOINS',
  'MARKET_NEUTRAL',
] as const;
export const riskLevels = ['LOW', 'MEDIUM', 'HIGH'] as const;
