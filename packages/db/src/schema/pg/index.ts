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
export { type NewPool, type Pool, type PoolStatusChange, poolStatusHistory, pools } from './pools';
export { type NewUser, type User, users } from './users';
