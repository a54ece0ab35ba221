import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceDeps } from '@tradepool/api/server';
import type { Database } from '@tradepool/db';
import { type Clock, systemClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { type Env, loadEnv } from './env';
import { type RunningServer, startServer } from './server';
import { buildServices } from './services';

export { publishedPool } from '@tradepool/api/testing';

/**
 * A port the OS just handed out as free, for a child process that must be told its port (a server started with port
 * 0 cannot say which it got before it listens). Random ports collide with the ephemeral ports other tests hold.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A validated test env: port 0, no dev secrets on disk outside a temp dir, quiet logs, overrides applied. */
export function testEnv(overrides: Record<string, string> = {}): Env {
  const cwd = mkdtempSync(join(tmpdir(), 'tp-server-'));
  return loadEnv(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      // Shared by every test server, so two servers on one database accept each other's tokens.
      JWT_SECRET: 'test-jwt-secret-shared-by-test-servers-0123456789',
      // From source a worker thread needs seconds to load the TypeScript it runs, so servers under test store webhook
      // deliveries in their own thread unless a test asks for the worker (webhook.test.ts runs its suite both ways,
      // write-worker.test.ts tests the worker itself; the built server the e2e suites start uses it).
      WEBHOOK_WORKER: 'off',
      ...overrides,
    },
    cwd,
  );
}

export interface TestServer extends RunningServer {
  services: ServiceDeps;
  env: Env;
}

/** A real server on an ephemeral port over an existing test database (which it leaves open when it stops). */
export async function startTestServer(
  database: Database,
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    webDist?: string | null;
    scheduler?: boolean;
    eventPollMs?: number;
  } = {},
): Promise<TestServer> {
  const env = testEnv(options.env);
  const services = buildServices({
    env,
    database,
    log: pino({ level: env.logLevel }),
    clock: options.clock ?? systemClock,
    version: '0.0.0-test',
  });
  const server = await startServer({
    env,
    services,
    version: '0.0.0-test',
    webDist: options.webDist ?? null,
    closeDatabase: false,
    scheduler: options.scheduler ?? false,
    ...(options.eventPollMs !== undefined ? { eventPollMs: options.eventPollMs } : {}),
    shutdownGraceMs: 5_000,
  });
  return { ...server, services, env };
}

/** Parsed JSON of a test response; loosely typed on purpose, since tests assert its shape. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary response bodies.
export async function json(response: Response): Promise<any> {
  return response.json();
}

/** JSON request helper for tests: returns status, headers and parsed body. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary response bodies.
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

const TEST_PASSWORD = 'a long enough password';

/**
 * A user registered and logged in over HTTP on `url`; a `role` other than INVESTOR is set in the database first (only
 * an admin grants it over the API). Returns its id and tokens.
 */
export async function testAccount(
  url: string,
  database: Database,
  email: string,
  role: 'INVESTOR' | 'MANAGER' | 'ADMIN' = 'INVESTOR',
): Promise<{ id: string; token: string; refreshToken: string }> {
  const res = await call(url, 'POST', '/api/v1/auth/register', { body: { email, password: TEST_PASSWORD } });
  if (role !== 'INVESTOR') {
    const { users } = database.schema;
    await database.transaction(async (tx) => {
      await tx.update(users).set({ role }).where(eq(users.id, res.body.user.id));
    });
  }
  const login = await call(url, 'POST', '/api/v1/auth/login', { body: { email, password: TEST_PASSWORD } });
  return {
    id: res.body.user.id as string,
    token: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
  };
}

/**
 * A pool created over HTTP by the manager whose token is given: its start, end and settle dates one, two and three
 * `stepMs` after `now` (a day by default); its id.
 */
export async function testPool(
  url: string,
  token: string,
  name: string,
  dates: { now?: Date; stepMs?: number } = {},
): Promise<string> {
  const now = dates.now ?? new Date();
  const step = dates.stepMs ?? 24 * 3_600_000;
  const at = (n: number) => new Date(now.getTime() + n * step).toISOString();
  const res = await call(url, 'POST', '/api/v1/pools', {
    token,
    body: {
      name,
      strategy: 'SWING_ETH',
      pair: 'ETH/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 100_000,
      minInvestmentCents: 1_000,
      startDate: at(1),
      endDate: at(2),
      settleDate: at(3),
    },
  });
  if (res.status !== 201) {
    throw new Error(`creating pool ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body.id as string;
}
