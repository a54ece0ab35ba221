import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env';

function tempCwd() {
  return mkdtempSync(join(tmpdir(), 'tp-env-'));
}

describe('loadEnv', () => {
  it('applies the contract defaults', () => {
    const cwd = tempCwd();
    const env = loadEnv({}, cwd);
    expect(env.port).toBe(3000);
    expect(env.databaseUrl).toBe('file:./data/tradepool.db');
    expect(env.dataDir).toBe(join(cwd, 'data'));
    expect(env.paymentProvider).toBe('demo');
    expect(env.schedulerCron).toBe('* * * * *');
    expect(env.rateLimitPerMin).toBe(100);
    expect(env.loginFailuresPer15Min).toBe(10);
    expect(env.registrationsPerHour).toBe(20);
    expect(env.trustProxy).toBe(false);
    expect(env.requireAdmin2fa).toBe(false);
    expect(env.simulator).toBe(false);
    expect(env.smtpUrl).toBeNull();
  });

  it('generates development secrets once, keeps them in the data dir with owner-only permissions', () => {
    const cwd = tempCwd();
    const first = loadEnv({}, cwd);
    const file = join(cwd, 'data', 'dev-secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.modelWebhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(first.modelWebhookSecretGenerated).toBe(true);
    const second = loadEnv({}, cwd);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.modelWebhookSecret).toBe(first.modelWebhookSecret);
    expect(JSON.parse(readFileSync(file, 'utf8')).jwtSecret).toBe(first.jwtSecret);
  });

  it('keeps the data dir next to the SQLite file', () => {
    const cwd = tempCwd();
    expect(loadEnv({ DATABASE_URL: 'file:./elsewhere/x.db' }, cwd).dataDir).toBe(join(cwd, 'elsewhere'));
  });

  it('requires real secrets in production, naming each missing or short variable', () => {
    // CONTRACT §8: JWT_SECRET is required; MODEL_WEBHOOK_SECRET, when set, must decode to at least 24 bytes.
    expect(() => loadEnv({ NODE_ENV: 'production' }, tempCwd())).toThrowError(/JWT_SECRET/);
    expect(() =>
      loadEnv(
        {
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(40),
          MODEL_WEBHOOK_SECRET: 'whsec_c2VjcmV0c2VjcmV0',
        },
        tempCwd(),
      ),
    ).toThrowError(/MODEL_WEBHOOK_SECRET: must decode to at least 24 bytes/);
    const env = loadEnv(
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        MODEL_WEBHOOK_SECRET: `whsec_${Buffer.alloc(24, 1).toString('base64')}`,
      },
      tempCwd(),
    );
    expect(env.requireAdmin2fa).toBe(true);
    expect(env.secretsKey).toBe('x'.repeat(40));
  });

  it('in production without MODEL_WEBHOOK_SECRET seeds a random secret and writes no development secrets file', () => {
    const cwd = tempCwd();
    const env = loadEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, cwd);
    expect(env.modelWebhookSecret).toMatch(/^whsec_/);
    expect(env.modelWebhookSecretGenerated).toBe(true);
    expect(existsSync(join(cwd, 'data', 'dev-secrets.json'))).toBe(false);
  });

  it('defaults NODE_ENV to what the caller asks (the entry point asks for production)', () => {
    expect(() => loadEnv({}, tempCwd(), { defaultNodeEnv: 'production' })).toThrowError(/JWT_SECRET/);
    expect(
      loadEnv({ NODE_ENV: 'development' }, tempCwd(), { defaultNodeEnv: 'production' }).isProduction,
    ).toBe(false);
  });

  it.each([
    ['PORT', 'abc', /PORT: must be a port number/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must start with/],
    ['JWT_SECRET', 'short', /JWT_SECRET: must be at least 32 characters/],
    ['MODEL_WEBHOOK_SECRET', 'nope', /MODEL_WEBHOOK_SECRET: must be "whsec_"/],
    ['PAYMENT_PROVIDER', 'paypal', /PAYMENT_PROVIDER/],
    ['RATE_LIMIT_PER_MIN', '-3', /RATE_LIMIT_PER_MIN: must be a positive integer/],
    ['TRUST_PROXY', 'maybe', /TRUST_PROXY/],
    ['SMTP_URL', 'http://mail', /SMTP_URL/],
    ['SCHEDULER_CRON', 'every minute', /SCHEDULER_CRON: not a valid cron pattern/],
    ['ADMIN_EMAIL', 'not-an-email', /ADMIN_EMAIL/],
  ])('refuses %s=%s with a message naming it', (name, value, message) => {
    const attempt = () => loadEnv({ [name]: value }, tempCwd());
    expect(attempt).toThrowError(EnvError);
    expect(attempt).toThrowError(message);
  });

  it('takes MODEL_API_KEY when long enough, naming it when not', () => {
    expect(loadEnv({}, tempCwd()).modelApiKey).toBeNull();
    const key = 'model-key-from-the-secret-store-0123';
    expect(loadEnv({ MODEL_API_KEY: key }, tempCwd()).modelApiKey).toBe(key);
    expect(() => loadEnv({ MODEL_API_KEY: 'short' }, tempCwd())).toThrowError(
      /MODEL_API_KEY: must be at least 24 characters/,
    );
  });

  it('needs both admin variables or neither', () => {
    expect(() => loadEnv({ ADMIN_EMAIL: 'a@example.com' }, tempCwd())).toThrowError(/ADMIN_PASSWORD/);
  });

  it('needs the Stripe keys when Stripe is the provider', () => {
    expect(() => loadEnv({ PAYMENT_PROVIDER: 'stripe' }, tempCwd())).toThrowError(
      /STRIPE_SECRET_KEY[\s\S]*STRIPE_WEBHOOK_SECRET/,
    );
  });

  it('treats empty values as unset and parses lists and flags', () => {
    const env = loadEnv(
      {
        PORT: '',
        TRUST_PROXY: 'true',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        SIMULATOR: 'on',
      },
      tempCwd(),
    );
    expect(env.port).toBe(3000);
    expect(env.trustProxy).toBe(true);
    expect(env.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(env.simulator).toBe(true);
  });
});
