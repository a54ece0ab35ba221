export { createDatabase } from './create-database';
export type {
  Database,
  Db,
  Dialect,
  NotificationConnection,
  Schema,
  TransactionOptions,
  TransactionStats,
} from './database';
export type { CheckpointProgress, WalCheckpoints } from './drivers/sqlite-checkpointer';
export { DatabaseClosedError, NestedTransactionError, TransactionScopeError } from './errors';
export { forUpdate } from './for-update';
export { newId } from './id';
export { defaultMigrationsFolder } from './migrations-folder';
export type { CreateDatabaseOptions, DatabaseLogger } from './options';
export type {
  AuditEntry,
  Investment,
  LedgerAccount,
  LedgerTransfer,
  MailMessage,
  ModelApiKey,
  NewAuditEntry,
  NewPool,
  NewRecoveryCode,
  NewRefreshToken,
  NewStoredEvent,
  NewUser,
  Payment,
  PnlSnapshot,
  Pool,
  PoolCapitalFlow,
  PoolStatusChange,
  Position,
  RecoveryCode,
  RefreshToken,
  StoredEvent,
  Trade,
  User,
  WebhookDelivery,
  WebhookSecret,
  Withdrawal,
} from './schema/pg';
export * as pgSchema from './schema/pg';
export * as sqliteSchema from './schema/sqlite';
export {
  type JsonObject,
  poolStatuses,
  riskLevels,
  strategies,
  type UserRole,
  userRoles,
} from './schema/types';
export {
  encodedPlaceholder,
  type PlaceholderValues,
  transactionStatement,
} from './transaction/prepared';
export { parseDatabaseUrl, redactUrl } from './url';
