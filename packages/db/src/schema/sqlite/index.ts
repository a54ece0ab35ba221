export { auditEntries } from './audit';
export { recoveryCodes, refreshTokens } from './auth';
export { events } from './events';
export { type NewPool, type Pool, type PoolStatusChange, poolStatusHistory, pools } from './pools';
export { users } from './users';
