export { auditEntries } from './audit';
export { recoveryCodes, refreshTokens } from './auth';
export { events } from './events';
export { rateLimits } from './limits';
export { modelApiKeys } from './model-api';
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
export { users } from './users';
