export { auditEntries } from './audit';
export { recoveryCodes, refreshTokens } from './auth';
export { events } from './events';
export { users } from './users';
