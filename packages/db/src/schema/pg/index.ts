export { type AuditEntry, auditEntries, type NewAuditEntry } from './audit';
export {
  type NewRecoveryCode,
  type NewRefreshToken,
  type RecoveryCode,
  type RefreshToken,
  recoveryCodes,
  refreshTokens,
} from './auth';
export { events, type NewStoredEvent, type StoredEvent } from './events';
export { type RateLimitRow, rateLimits } from './limits';
export { type ModelApiKey, modelApiKeys } from './model-api';
export {
  type Investment,
  idempotencyKeys,
  investments,
  type LedgerAccount,
  type LedgerTransfer,
  ledgerAccounts,
  ledgerTransfers,
  type MailMessage,
  mailOutbox,
  type Payment,
  payments,
  stripeEvents,
  subscriptionPeriods,
  type Withdrawal,
  withdrawals,
} from './money';
export {
  type NewPool,
  type Pool,
  type PoolCapitalFlow,
  type PoolStatusChange,
  poolCapitalFlows,
  poolStatusHistory,
  pools,
} from './pools';
export {
  type PnlSnapshot,
  type Position,
  pnlSnapshots,
  positions,
  type Trade,
  trades,
  type WebhookDelivery,
  type WebhookSecret,
  webhookDeliveries,
  webhookMessages,
  webhookSecrets,
} from './trading';
export { type NewUser, type User, users } from './users';
