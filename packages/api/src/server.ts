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
export { type BackgroundJobs, startBackgroundJobs } from './jobs/background';
export { runDailyJobs } from './jobs/daily';
export { deliverQueuedMail, type MailTransport } from './jobs/mail';
export { type SchedulerHandle, startScheduler } from './jobs/scheduler';
export { appRouter } from './root';
export { DEMO_ACCOUNTS, seedDemoData } from './seed/demo';
export { verifyAuditChain } from './services/audit/audit-log';
export { authenticate } from './services/auth/authenticate';
export { EventDispatcher, type EventScope, type EventSink } from './services/events/dispatcher';
export { type EventBus, InProcessEventBus } from './services/events/event-bus';
export { appendEvent, eventsTransaction, latestEventId, readEvents } from './services/events/event-store';
export { assertReplayAllowed, EventStream } from './services/events/event-stream';
export {
  EVENTS_CHANNEL,
  PostgresNotifications,
  SESSIONS_CHANNEL,
} from './services/events/pg-notifications';
export {
  Metrics,
  type MetricsSummary,
  quantileFromBuckets,
  webhookOutcome,
} from './services/metrics/metrics';
export { listModelPools, type ModelPool } from './services/model-api/pools';
export { checkLedger } from './services/money/ledger';
export type { CheckoutGateway } from './services/money/payments';
export { walletTransactionsCsv } from './services/money/statements';
export { handleStripeEvent } from './services/money/stripe-events';
export { actOnPool, createPool, findPool, listPools, updatePool } from './services/pools/pools-service';
export { runScheduledTransitions, type TickResult } from './services/pools/scheduler';
export { RateLimiter } from './services/security/rate-limiter';
export {
  MAX_TRPC_BATCH_CALLS,
  requestsPerIpLimiter,
  SharedRateLimiter,
} from './services/security/shared-limiter';
export { ensureUser } from './services/users/admin-users';
export {
  type DeliveryStore,
  ingestModelWebhook,
  MAX_BODY_BYTES,
  type StoreDeps,
  type StoreOutcome,
  storeVerifiedDelivery,
  type VerifiedDelivery,
} from './services/webhooks/ingest';
export { WebhookRefusalLimit } from './services/webhooks/refusal-limit';
export { ensureInitialSecret, rotateSecret, validKeys } from './services/webhooks/secrets';
export { secretKey, sign as signWebhook } from './services/webhooks/signature';
export { appErrorOf, createCallerFactory, type Meta } from './trpc';
export { zodFieldErrors } from './zod-field-errors';
