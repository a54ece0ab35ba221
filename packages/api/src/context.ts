import { EventEmitter } from 'node:events';
import type { Database } from '@tradepool/db';
import { AppError, type Clock, ROLE_VALUES, type RoleName } from '@tradepool/domain';
import type { Logger } from 'pino';
import { AccessTokens } from './services/auth/access-tokens';
import { EventDispatcher } from './services/events/dispatcher';
import { type EventBus, InProcessEventBus } from './services/events/event-bus';
import { Metrics } from './services/metrics/metrics';
import type { CheckoutGateway } from './services/money/payments';
import { SecretBox } from './services/security/secret-box';
import {
  createLimiterStore,
  type LimiterStore,
  SharedRateLimiter,
  SlidingRateLimiter,
} from './services/security/shared-limiter';

export type Role = RoleName;
export const ROLES = ROLE_VALUES;

/** The authenticated caller, as proven by a verified access token checked against the database. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  /** Session (refresh-token family) the access token belongs to. */
  sessionId: string;
  /** When the access token expires: sockets and streams end then. */
  expiresAt: Date;
  /** An ADMIN/MANAGER who must enrol 2FA before doing anything else. */
  pendingTotpEnrollment: boolean;
}

/** Settings the API layer needs from the host process; the server builds it from its validated env. */
export interface ApiConfig {
  environment: 'development' | 'production' | 'test';
  version: string;
  paymentProvider: 'demo' | 'stripe';
  /** The development demo accounts were seeded (the sign-in page offers them). */
  demoAccounts: boolean;
  jwtSecret: string;
  secretsKey: string;
  requireAdmin2fa: boolean;
  loginFailuresPer15Min: number;
  registrationsPerHour: number;
  /** Cookies get `Secure` when the app is served over HTTPS (production). */
  secureCookies: boolean;
  modelWebhook: {
    /** Seeds the stored secrets the first time (MODEL_WEBHOOK_SECRET, or the generated development one). */
    initialSecret: string;
    /** MODEL_WEBHOOK_SECRET when set explicitly: valid whatever rotations happen. */
    pinnedSecret: string | null;
  };
  /** MODEL_API_KEY: valid on /api/v1/model/* next to the keys admins create (CONTRACT §7). */
  modelApiKey?: string | null;
}

/** "This user's sessions changed": the server closes matching sockets and streams at once. */
export interface SessionRevocation {
  userId: string;
  /** One session, or every session of the user when absent. */
  sessionId?: string;
  reason: string;
}

export class SessionEvents extends EventEmitter<{ revoked: [SessionRevocation] }> {
  constructor() {
    super();
    // One listener per open SSE stream: thousands are expected, not a leak.
    this.setMaxListeners(0);
  }
}

/** Counted before the work they guard; on Postgres shared by every process (`rate_limits`), on SQLite in memory. */
export interface Limits {
  /** Password checks per account (sign-in, password change, 2FA disable): LOGIN_FAILURES_PER_15_MIN. */
  loginPerAccount: SlidingRateLimiter;
  /** Password checks per client IP, whatever the account (unknown emails included): 5 × LOGIN_FAILURES_PER_15_MIN. */
  loginPerIp: SlidingRateLimiter;
  registrationsPerIp: SharedRateLimiter;
}

/** Everything services need; built once per process (or per test) and shared by every request. */
export interface ServiceDeps {
  database: Database;
  clock: Clock;
  log: Logger;
  config: ApiConfig;
  tokens: AccessTokens;
  secrets: SecretBox;
  limits: Limits;
  /** Where every limit's counters live; the HTTP layer's per-IP limit and socket handshakes use it too. */
  limiterStore: LimiterStore;
  sessionEvents: SessionEvents;
  /** Woken after commits that stored events. */
  bus: EventBus;
  /** Fans committed events out to sockets and streams; the host process starts and stops it. */
  events: EventDispatcher;
  /** Card checkout (Stripe) when PAYMENT_PROVIDER=stripe; null with the demo provider. */
  checkout: CheckoutGateway | null;
  /** This process's Prometheus metrics (GET /metrics, admin overview). */
  metrics: Metrics;
}

const FIFTEEN_MINUTES = 15 * 60_000;

export function createServiceDeps(
  input: Pick<ServiceDeps, 'database' | 'clock' | 'log' | 'config'> & {
    bus?: EventBus;
    checkout?: CheckoutGateway | null;
    metrics?: Metrics;
  },
): ServiceDeps {
  const { clock, config } = input;
  const bus = input.bus ?? new InProcessEventBus();
  const limiterStore = createLimiterStore(input.database);
  const events = new EventDispatcher(input.database, bus, input.log);
  const metrics = input.metrics ?? new Metrics(input.database);
  // Dispatch lag is measured where the dispatcher fans out: a sink sees every event as it goes to sockets and streams.
  events.addSink({ deliver: (event) => metrics.observeDispatch(event) });
  return {
    ...input,
    tokens: new AccessTokens(config.jwtSecret, clock),
    secrets: new SecretBox(config.secretsKey),
    limits: {
      loginPerAccount: new SlidingRateLimiter(
        limiterStore,
        clock,
        'login-account',
        config.loginFailuresPer15Min,
        FIFTEEN_MINUTES,
      ),
      // An IP may fail on several accounts (a shared office), but not on many.
      loginPerIp: new SlidingRateLimiter(
        limiterStore,
        clock,
        'login-ip',
        config.loginFailuresPer15Min * 5,
        FIFTEEN_MINUTES,
      ),
      registrationsPerIp: new SharedRateLimiter(
        limiterStore,
        clock,
        'register-ip',
        config.registrationsPerHour,
        60 * 60_000,
      ),
    },
    limiterStore,
    sessionEvents: new SessionEvents(),
    bus,
    events,
    checkout: input.checkout ?? null,
    metrics,
  };
}

/** What a request adds: who is calling, from where, and where cookies go. */
export interface RequestInfo {
  user: SessionUser | null;
  /** Client IP as decided by the server (X-Forwarded-For only when TRUST_PROXY is on). */
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  cookies: Record<string, string>;
  /** Response headers (Set-Cookie) for procedures that manage the SPA's cookies; null outside HTTP. */
  resHeaders: Headers | null;
  /** The `Idempotency-Key` header, for procedures that move money. */
  idempotencyKey: string | null;
  /** The bearer token of a request to /api/v1/model/*: a model API key, checked by `modelProcedure`. */
  modelApiKey?: string | null;
}

export type Context = ServiceDeps & RequestInfo;

/** The signed-in caller, for services that routers already guard: UNAUTHORIZED if called without one. */
export function requireUser(ctx: Pick<RequestInfo, 'user'>): SessionUser {
  if (!ctx.user) {
    throw new AppError('UNAUTHORIZED', 'Sign in required');
  }
  return ctx.user;
}

/** Builds a context without an HTTP request: for tests, jobs and scripts. */
export function createInnerContext(deps: ServiceDeps, request: Partial<RequestInfo> = {}): Context {
  return {
    ...deps,
    user: null,
    ip: null,
    userAgent: null,
    requestId: null,
    cookies: {},
    resHeaders: null,
    idempotencyKey: null,
    ...request,
  };
}
