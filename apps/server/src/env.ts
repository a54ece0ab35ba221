import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';

/** Thrown when the environment is invalid; the message names the variable so the operator can fix it. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'on', 'yes'].includes(v)));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') {
        return fallback;
      }
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive integer, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

const RawEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const n = Number(v ?? '3000');
      if (!Number.isInteger(n) || n < 0 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `must be a port number 0-65535, got "${v}"` });
        return z.NEVER;
      }
      return n;
    }),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^(file:|postgres(ql)?:\/\/|pglite:)/.test(v), {
      message: 'must start with file:, postgres:// or postgresql://',
    }),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MODEL_WEBHOOK_SECRET: z.string().regex(WEBHOOK_SECRET, 'must be "whsec_" followed by base64').optional(),
  ADMIN_EMAIL: z.email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  REQUIRE_ADMIN_2FA: z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no']).optional(),
  PAYMENT_PROVIDER: z.enum(['demo', 'stripe']).default('demo'),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_URL: z.url('must be a URL').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  SCHEDULER_CRON: z.string().min(1).optional(),
  RATE_LIMIT_PER_MIN: positiveInt(100),
  LOGIN_FAILURES_PER_15_MIN: positiveInt(10),
  REGISTRATIONS_PER_HOUR: positiveInt(20),
  WEBHOOK_REFUSALS_PER_MIN: positiveInt(120),
  WEBHOOK_WORKER: bool(true),
  SQLITE_CHECKPOINTER: bool(true),
  REPLAY_MAX_EVENTS: positiveInt(10_000),
  TRUST_PROXY: bool(false),
  METRICS_TOKEN: z.string().min(1).optional(),
  SECRETS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SIMULATOR: z.enum(['on', 'off', 'true', 'false']).optional(),
  CORS_ORIGINS: z.string().optional(),
  PUBLIC_URL: z.url('must be a URL').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  WEB_DIST: z.string().optional(),
  TRADEPOOL_SEED: z.enum(['demo', 'none']).optional(),
  MODEL_API_KEY: z.string().min(24, 'must be at least 24 characters').max(512).optional(),
});

export interface Env {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string | undefined;
  databaseUrl: string;
  /** Directory for local state: the SQLite file's directory, or ./data with Postgres. */
  dataDir: string;
  jwtSecret: string;
  modelWebhookSecret: string;
  /** True when the webhook secret was generated here (dev): it is printed at start so the model team can use it. */
  modelWebhookSecretGenerated: boolean;
  secretsKey: string;
  admin: { email: string; password: string } | null;
  requireAdmin2fa: boolean;
  paymentProvider: 'demo' | 'stripe';
  stripe: { secretKey: string; webhookSecret: string; apiUrl: string | undefined } | null;
  smtpUrl: string | null;
  mailFrom: string;
  schedulerCron: string;
  rateLimitPerMin: number;
  loginFailuresPer15Min: number;
  registrationsPerHour: number;
  /** Refused model-webhook deliveries per client IP per minute before `429` (CONTRACT §8). */
  webhookRefusalsPerMin: number;
  /**
   * WEBHOOK_WORKER (SQLite only, default on): store the model's webhook deliveries, and run the scheduler's passes, on
   * a worker thread with its own write connection, so their COMMITs (an fsync each with synchronous=FULL) and a
   * catch-up pass over thousands of pools never block the server's event loop.
   */
  webhookWorker: boolean;
  /**
   * SQLITE_CHECKPOINTER (SQLite file only, default on): copy the WAL back into the database file on a thread of its
   * own instead of in whichever COMMIT finds it over 1,000 pages, so no commit on the event loop pays for it.
   */
  sqliteCheckpointer: boolean;
  /** REPLAY_MAX_EVENTS: longest history one subscription replays; more answers RESYNC_REQUIRED (CONTRACT §8). */
  replayMaxEvents: number;
  trustProxy: boolean;
  /** Bearer token for GET /metrics; without it production answers 404 there, development leaves it open. */
  metricsToken: string | null;
  simulator: boolean;
  corsOrigins: string[];
  publicUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Built SPA to serve, or null when there is none (dev: Vite serves it). */
  webDist: string | null;
  /** Seed demo accounts and data at start (`pnpm dev` sets TRADEPOOL_SEED=demo). */
  seedDemo: boolean;
  /** MODEL_API_KEY: a model API key valid next to the ones admins create (CONTRACT §7), or null. */
  modelApiKey: string | null;
}

interface DevSecrets {
  jwtSecret: string;
  modelWebhookSecret: string;
}

/**
 * Secrets a developer never has to set: generated once and kept in the data directory (mode 0600), so sessions and
 * the demo model's signatures survive restarts. Production refuses to start without real ones instead.
 */
function loadDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const parsed = z
      .object({ jwtSecret: z.string().min(32), modelWebhookSecret: z.string().regex(WEBHOOK_SECRET) })
      .safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) {
      return parsed.data;
    }
  }
  const secrets: DevSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    modelWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

function dataDirOf(databaseUrl: string, cwd: string): string {
  if (databaseUrl.startsWith('file:')) {
    const path = databaseUrl.slice('file:'.length);
    return dirname(isAbsolute(path) ? path : resolve(cwd, path));
  }
  return resolve(cwd, 'data');
}

/** Bytes a `whsec_` secret's base64 part decodes to. */
function webhookKeyBytes(secret: string): number {
  return Buffer.from(secret.slice('whsec_'.length), 'base64').byteLength;
}

const MIN_WEBHOOK_KEY_BYTES = 24;

export interface LoadEnvOptions {
  /**
   * NODE_ENV when the variable is unset. The server's entry point passes `production` (CONTRACT §8: `pnpm start`
   * runs in production unless NODE_ENV says otherwise; `pnpm dev` sets development); tests default to development.
   */
  defaultNodeEnv?: 'development' | 'production';
}

/** Validates the environment once at start. Throws EnvError naming every bad variable. */
export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
  options: LoadEnvOptions = {},
): Env {
  // Empty strings count as unset: `FOO= pnpm start` should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = RawEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  const nodeEnv = raw.NODE_ENV ?? options.defaultNodeEnv ?? 'development';
  const isProduction = nodeEnv === 'production';
  const problems: string[] = [];

  const databaseUrl = raw.DATABASE_URL ?? 'file:./data/tradepool.db';
  const dataDir = dataDirOf(databaseUrl, cwd);

  if (isProduction && !raw.JWT_SECRET) {
    problems.push('  JWT_SECRET: required (at least 32 characters) when NODE_ENV=production');
  }
  if (isProduction && raw.MODEL_WEBHOOK_SECRET) {
    const bytes = webhookKeyBytes(raw.MODEL_WEBHOOK_SECRET);
    if (bytes < MIN_WEBHOOK_KEY_BYTES) {
      problems.push(
        `  MODEL_WEBHOOK_SECRET: must decode to at least ${MIN_WEBHOOK_KEY_BYTES} bytes when NODE_ENV=production (it decodes to ${bytes})`,
      );
    }
  }
  if ((raw.ADMIN_EMAIL === undefined) !== (raw.ADMIN_PASSWORD === undefined)) {
    problems.push(
      `  ${raw.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'}: ADMIN_EMAIL and ADMIN_PASSWORD go together`,
    );
  }
  if (raw.PAYMENT_PROVIDER === 'stripe') {
    if (!raw.STRIPE_SECRET_KEY) {
      problems.push('  STRIPE_SECRET_KEY: required when PAYMENT_PROVIDER=stripe');
    }
    if (!raw.STRIPE_WEBHOOK_SECRET) {
      problems.push('  STRIPE_WEBHOOK_SECRET: required when PAYMENT_PROVIDER=stripe');
    }
  }
  if (raw.SCHEDULER_CRON) {
    try {
      new Cron(raw.SCHEDULER_CRON, { paused: true }).stop();
    } catch (error) {
      problems.push(`  SCHEDULER_CRON: not a valid cron pattern (${(error as Error).message})`);
    }
  }
  if (problems.length > 0) {
    throw new EnvError(`Invalid environment:\n${problems.join('\n')}`);
  }

  // Production never writes or reads the development secrets file. Without MODEL_WEBHOOK_SECRET it seeds a random
  // secret into the store once (never printed); an admin rotates it to hand a secret to the model team.
  const needsDevSecrets = !isProduction && (!raw.JWT_SECRET || !raw.MODEL_WEBHOOK_SECRET);
  const dev = needsDevSecrets ? loadDevSecrets(dataDir) : null;
  const generatedWebhookSecret = isProduction ? `whsec_${randomBytes(32).toString('base64')}` : undefined;
  const jwtSecret = raw.JWT_SECRET ?? dev?.jwtSecret ?? '';
  const webDist = raw.WEB_DIST ? resolve(cwd, raw.WEB_DIST) : null;

  return {
    nodeEnv,
    isProduction,
    port: raw.PORT,
    host: raw.HOST,
    databaseUrl,
    dataDir,
    jwtSecret,
    modelWebhookSecret: raw.MODEL_WEBHOOK_SECRET ?? dev?.modelWebhookSecret ?? generatedWebhookSecret ?? '',
    modelWebhookSecretGenerated: !raw.MODEL_WEBHOOK_SECRET,
    secretsKey: raw.SECRETS_KEY ?? jwtSecret,
    admin:
      raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD ? { email: raw.ADMIN_EMAIL, password: raw.ADMIN_PASSWORD } : null,
    requireAdmin2fa:
      raw.REQUIRE_ADMIN_2FA === undefined
        ? isProduction
        : ['true', '1', 'on', 'yes'].includes(raw.REQUIRE_ADMIN_2FA),
    paymentProvider: raw.PAYMENT_PROVIDER,
    stripe:
      raw.PAYMENT_PROVIDER === 'stripe' && raw.STRIPE_SECRET_KEY && raw.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: raw.STRIPE_SECRET_KEY,
            webhookSecret: raw.STRIPE_WEBHOOK_SECRET,
            apiUrl: raw.STRIPE_API_URL,
          }
        : null,
    smtpUrl: raw.SMTP_URL ?? null,
    mailFrom: raw.MAIL_FROM ?? 'Tradepool <no-reply@tradepool.local>',
    schedulerCron: raw.SCHEDULER_CRON ?? '* * * * *',
    rateLimitPerMin: raw.RATE_LIMIT_PER_MIN,
    loginFailuresPer15Min: raw.LOGIN_FAILURES_PER_15_MIN,
    registrationsPerHour: raw.REGISTRATIONS_PER_HOUR,
    webhookRefusalsPerMin: raw.WEBHOOK_REFUSALS_PER_MIN,
    webhookWorker: raw.WEBHOOK_WORKER,
    sqliteCheckpointer: raw.SQLITE_CHECKPOINTER,
    replayMaxEvents: raw.REPLAY_MAX_EVENTS,
    trustProxy: raw.TRUST_PROXY,
    metricsToken: raw.METRICS_TOKEN ?? null,
    simulator: raw.SIMULATOR === 'on' || raw.SIMULATOR === 'true',
    corsOrigins: (raw.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    publicUrl: raw.PUBLIC_URL ?? null,
    logLevel: raw.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    webDist,
    seedDemo: raw.TRADEPOOL_SEED === 'demo' && !isProduction,
    modelApiKey: raw.MODEL_API_KEY ?? null,
  };
}
