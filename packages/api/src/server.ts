/** Server-side entry: what apps/server, jobs and tests wire together. */
export {
  type ApiConfig,
  type Context,
  createInnerContext,
  createServiceDeps,
  type RequestInfo,
  type Role,
  type ServiceDeps,
  SessionEvents,
  type SessionRevocation,
  type SessionUser,
} from './context';
export { ACCESS_COOKIE, parseCookies, REFRESH_COOKIE } from './cookies';
export { appRouter } from './root';
export { DEMO_ACCOUNTS, seedDemoData } from './seed/demo';
export { verifyAuditChain } from './services/audit/audit-log';
export { authenticate } from './services/auth/auth-service';
export { RateLimiter } from './services/security/rate-limiter';
export { ensureUser } from './services/users/admin-users';
export { appErrorOf, createCallerFactory, type Meta, zodFieldErrors } from './trpc';
