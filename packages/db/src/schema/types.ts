import {
  ACCOUNT_KINDS,
  INVESTMENT_STATUSES,
  MAIL_STATUSES,
  PAYMENT_PROVIDERS,
  PAYMENT_PURPOSES,
  PAYMENT_STATUSES,
  POOL_STATUSES,
  RISK_LEVELS,
  ROLE_VALUES,
  type RoleName,
  STRATEGIES,
  SUBSCRIPTION_SOURCES,
  WITHDRAWAL_STATUSES,
} from '@tradepool/domain/vocabulary';

/**
 * The column value lists come from the domain's vocabulary, so the tables, the API and the SPA say the same words.
 * All are stored as text: adding a value needs no enum migration on Postgres.
 */
export const userRoles = ROLE_VALUES;
export type UserRole = RoleName;
export const poolStatuses = POOL_STATUSES;
export const strategies = STRATEGIES;
export const riskLevels = RISK_LEVELS;
export const accountKinds = ACCOUNT_KINDS;
export const investmentStatuses = INVESTMENT_STATUSES;
export const withdrawalStatuses = WITHDRAWAL_STATUSES;
export const paymentPurposes = PAYMENT_PURPOSES;
export const paymentProviders = PAYMENT_PROVIDERS;
export const paymentStatuses = PAYMENT_STATUSES;
export const subscriptionSources = SUBSCRIPTION_SOURCES;
export const mailStatuses = MAIL_STATUSES;

/** A JSON object column value (jsonb on Postgres, JSON text on SQLite). */
export type JsonObject = { [key: string]: unknown };
