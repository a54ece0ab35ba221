import { runDailyJobs } from '@tradepool/api/server';
import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

/**
 * CONTRACT §8 limits under attack: batches, concurrent and batched sign-ins, password checks behind a session,
 * concurrent TOTP guesses, concurrent demotion of the last admins, socket handshakes, and limits shared by two
 * servers on one database. Concurrency only means something on the real Postgres (TEST_DATABASE_URL); PGlite
 * serialises everything, so there these tests check the single-process behaviour.
 */

const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the right password';

function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at.getTime(),
  });
}

/**
 * One raw tRPC batch: `POST /trpc/a,b,c?batch=1` with the inputs keyed by position (mutations), or
 * `GET /trpc/a,b,c?batch=1` for queries without input.
 */
async function trpcBatch(
  base: string,
  calls: Array<{ path: string; input?: unknown }>,
  token?: string,
  method: 'GET' | 'POST' = 'POST',
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary response bodies.
): Promise<{ status: number; headers: Headers; body: any }> {
  const body: Record<string, unknown> = {};
  calls.forEach((c, i) => {
    body[String(i)] = c.input;
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  const res = await fetch(`${base}/trpc/${calls.map((c) => c.path).join(',')}?batch=1`, {
    method,
    headers,
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** The error codes (or 'OK') of each call of a batch answer. */
function outcomes(body: Array<{ error?: { data?: { code?: string } } }>): string[] {
  return body.map((entry) => entry.error?.data?.code ?? 'OK');
}

function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const count = (values: string[] | number[], value: string | number) =>
  (values as Array<string | number>).filter((v) => v === value).length;

describeEachDialect('abuse limits (CONTRACT §8)', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let server: TestServer;
  let base: string;
  let n = 0;
  const email = () => `abuse${++n}-${suite.dialect}@example.com`;
  const LOGIN_FAILURES = 3;

  async function register(url = base) {
    const address = email();
    const res = await call(url, 'POST', '/api/v1/auth/register', {
      body: { email: address, password: PASSWORD },
    });
    expect(res.status).toBe(201);
    return { email: address, accessToken: res.body.accessToken as string, id: res.body.user.id as string };
  }

  async function setRole(userId: string, role: 'ADMIN' | 'MANAGER' | 'INVESTOR') {
    const { users } = suite.getDb().schema;
    await suite.getDb().transaction(async (tx) => {
      await tx.update(users).set({ role }).where(eq(users.id, userId));
    });
  }

  async function login(url: string, address: string, password = PASSWORD, totp?: string) {
    return call(url, 'POST', '/api/v1/auth/login', {
      body: { email: address, password, ...(totp ? { totp } : {}) },
    });
  }

  async function failedLoginsAudited(emails: string[]): Promise<number> {
    const { auditEntries } = suite.getDb().schema;
    const rows = await suite
      .getDb()
      .db.select({ after: auditEntries.after })
      .from(auditEntries)
      .where(eq(auditEntries.action, 'auth.login_failed'));
    const wanted = new Set(emails);
    return rows.filter((r) => wanted.has((r.after as { email?: string } | null)?.email ?? '')).length;
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: {
        RATE_LIMIT_PER_MIN: '100000',
        LOGIN_FAILURES_PER_15_MIN: String(LOGIN_FAILURES),
        REGISTRATIONS_PER_HOUR: '100000',
      },
    });
    base = server.url;
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    // Every window (per minute, per 15 minutes, per hour) starts afresh for each test.
    clock.advance(2 * 60 * 60_000);
  });

  describe('tRPC batches', () => {
    it('refuses a batch of more than 10 calls with 400 and the contract error body, running none of them', async () => {
      const account = await register();
      const res = await trpcBatch(
        base,
        Array.from({ length: 11 }, () => ({
          path: 'session.signIn',
          input: { email: account.email, password: WRONG },
        })),
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BAD_REQUEST' });
      expect(res.body.message).toMatch(/10/);
      expect(await failedLoginsAudited([account.email])).toBe(0);
      const ten = await trpcBatch(
        base,
        Array.from({ length: 10 }, () => ({ path: 'system.info' })),
        undefined,
        'GET',
      );
      expect(ten.status).toBe(200);
      expect(outcomes(ten.body)).toEqual(Array(10).fill('OK'));
    });

    it('counts every call of a batch against RATE_LIMIT_PER_MIN', async () => {
      const limited = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '25' } });
      try {
        const batch = () =>
          trpcBatch(
            limited.url,
            Array.from({ length: 10 }, () => ({ path: 'system.info' })),
            undefined,
            'GET',
          );
        expect((await batch()).status).toBe(200);
        expect((await batch()).status).toBe(200);
        const third = await batch();
        expect(third.status).toBe(429);
        expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(third.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
        expect((await call(limited.url, 'GET', '/api/v1/pools')).status).toBe(429);
      } finally {
        await limited.close();
      }
    });
  });

  describe('sign-in throttles (attempts counted before the password is checked)', () => {
    it('verifies at most LOGIN_FAILURES_PER_15_MIN wrong passwords from one batch; the right one after gets 429', async () => {
      const account = await register();
      const calls = [
        ...Array.from({ length: 9 }, () => ({
          path: 'session.signIn',
          input: { email: account.email, password: WRONG },
        })),
        { path: 'session.signIn', input: { email: account.email, password: PASSWORD } },
      ];
      const res = await trpcBatch(base, calls);
      const codes = outcomes(res.body);
      expect(count(codes, 'UNAUTHORIZED')).toBe(LOGIN_FAILURES);
      expect(count(codes, 'TOO_MANY_REQUESTS')).toBe(10 - LOGIN_FAILURES);
      expect(codes.at(-1)).toBe('TOO_MANY_REQUESTS');
      expect(await failedLoginsAudited([account.email])).toBe(LOGIN_FAILURES);
      const after = await login(base, account.email);
      expect(after.status).toBe(429);
      expect(Number(after.headers.get('retry-after'))).toBeGreaterThan(0);
      clock.advance(15 * 60_000);
      expect((await login(base, account.email)).status).toBe(200);
    });

    it('verifies at most LOGIN_FAILURES_PER_15_MIN wrong passwords in any 15 minutes, across where a window would end', async () => {
      const account = await register();
      const wrong = async () => (await login(base, account.email, WRONG)).status;
      expect(await wrong()).toBe(401);
      clock.advance(14 * 60_000);
      for (let i = 1; i < LOGIN_FAILURES; i++) {
        expect(await wrong()).toBe(401);
      }
      expect(await wrong()).toBe(429);
      // 15 minutes after the first: only that attempt has left the last 15 minutes, so one more is verified.
      clock.advance(60_000 + 1_000);
      expect(await wrong()).toBe(401);
      const refused = await login(base, account.email, WRONG);
      expect(refused.status).toBe(429);
      // The next attempt frees up when the burst of minute 14 is 15 minutes old: 14 minutes from now.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(13 * 60);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(14 * 60);
      expect((await login(base, account.email)).status).toBe(429);
      expect(await failedLoginsAudited([account.email])).toBe(LOGIN_FAILURES + 1);
      clock.advance(14 * 60_000);
      expect((await login(base, account.email)).status).toBe(200);
    });

    it('verifies at most LOGIN_FAILURES_PER_15_MIN wrong passwords of 20 concurrent sign-ins', async () => {
      const account = await register();
      const results = await Promise.all(Array.from({ length: 20 }, () => login(base, account.email, WRONG)));
      const statuses = results.map((r) => r.status);
      expect(count(statuses, 401)).toBe(LOGIN_FAILURES);
      expect(count(statuses, 429)).toBe(20 - LOGIN_FAILURES);
      expect(await failedLoginsAudited([account.email])).toBe(LOGIN_FAILURES);
      expect((await login(base, account.email)).status).toBe(429);
    });

    it('throttles per account whatever the address: 20 concurrent attempts, each from another X-Forwarded-For', async () => {
      const proxied = await startTestServer(suite.getDb(), {
        clock,
        env: {
          TRUST_PROXY: 'true',
          RATE_LIMIT_PER_MIN: '100000',
          LOGIN_FAILURES_PER_15_MIN: String(LOGIN_FAILURES),
        },
      });
      try {
        const account = await register();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call(proxied.url, 'POST', '/api/v1/auth/login', {
              body: { email: account.email, password: WRONG },
              headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
            }),
          ),
        );
        const statuses = results.map((r) => r.status);
        expect(count(statuses, 401)).toBe(LOGIN_FAILURES);
        expect(count(statuses, 429)).toBe(20 - LOGIN_FAILURES);
        expect(await failedLoginsAudited([account.email])).toBe(LOGIN_FAILURES);
      } finally {
        await proxied.close();
      }
    });

    it('a successful sign-in gives its attempt back, so a user who knows the password is never throttled', async () => {
      const account = await register();
      for (let i = 0; i < LOGIN_FAILURES * 3; i++) {
        expect((await login(base, account.email)).status).toBe(200);
      }
      expect((await login(base, account.email, WRONG)).status).toBe(401);
    });

    it('throttles unknown emails per IP: batches of sign-ins cannot each spend a password hash', async () => {
      const emails = Array.from({ length: 30 }, () => email());
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await trpcBatch(
          base,
          emails.slice(i * 10, i * 10 + 10).map((address) => ({
            path: 'session.signIn',
            input: { email: address, password: WRONG },
          })),
        );
        codes.push(...outcomes(res.body));
      }
      // Per IP: five times the per-account budget in 15 minutes.
      const perIp = LOGIN_FAILURES * 5;
      expect(count(codes, 'UNAUTHORIZED')).toBe(perIp);
      expect(count(codes, 'TOO_MANY_REQUESTS')).toBe(30 - perIp);
      expect(await failedLoginsAudited(emails)).toBe(perIp);
    });

    it('throttles password checks in password change and 2FA disable on the same per-account budget', async () => {
      const account = await register();
      const change = (currentPassword: string) =>
        trpcBatch(
          base,
          [
            {
              path: 'account.changePassword',
              input: { currentPassword, newPassword: 'another long password 123' },
            },
          ],
          account.accessToken,
        );
      const codes: string[] = [];
      for (let i = 0; i < LOGIN_FAILURES; i++) {
        codes.push(...outcomes((await change(WRONG)).body));
      }
      expect(codes).toEqual(Array(LOGIN_FAILURES).fill('BAD_REQUEST'));
      const right = await change(PASSWORD);
      expect(outcomes(right.body)).toEqual(['TOO_MANY_REQUESTS']);
      expect(right.status).toBe(429);
      expect((await login(base, account.email)).status).toBe(429);

      clock.advance(15 * 60_000);
      const other = await register();
      const begin = await trpcBatch(base, [{ path: 'account.totp.begin' }], other.accessToken);
      const secret = begin.body[0].result.data.secret as string;
      await trpcBatch(
        base,
        [{ path: 'account.totp.confirm', input: { code: totpCode(secret, clock.now()) } }],
        other.accessToken,
      );
      clock.advance(30_000);
      const disable = (password: string) =>
        trpcBatch(
          base,
          [{ path: 'account.totp.disable', input: { password, code: totpCode(secret, clock.now()) } }],
          other.accessToken,
        );
      const disableCodes = await Promise.all(Array.from({ length: 6 }, () => disable(WRONG)));
      const flat = disableCodes.flatMap((r) => outcomes(r.body));
      expect(count(flat, 'BAD_REQUEST')).toBe(LOGIN_FAILURES);
      expect(count(flat, 'TOO_MANY_REQUESTS')).toBe(6 - LOGIN_FAILURES);
      expect(outcomes((await disable(PASSWORD)).body)).toEqual(['TOO_MANY_REQUESTS']);
    });
  });

  describe('TOTP lockout', () => {
    it('concurrent wrong codes lock the second factor; the right code is then refused', async () => {
      const lenient = await startTestServer(suite.getDb(), {
        clock,
        env: {
          RATE_LIMIT_PER_MIN: '100000',
          LOGIN_FAILURES_PER_15_MIN: '1000',
          REGISTRATIONS_PER_HOUR: '1000',
        },
      });
      try {
        const account = await register(lenient.url);
        const begin = await trpcBatch(lenient.url, [{ path: 'account.totp.begin' }], account.accessToken);
        const secret = begin.body[0].result.data.secret as string;
        const confirm = await trpcBatch(
          lenient.url,
          [{ path: 'account.totp.confirm', input: { code: totpCode(secret, clock.now()) } }],
          account.accessToken,
        );
        expect(confirm.status).toBe(200);
        clock.advance(30_000);
        const guesses = await Promise.all(
          Array.from({ length: 12 }, () => login(lenient.url, account.email, PASSWORD, '000000')),
        );
        for (const guess of guesses) {
          expect([401, 429]).toContain(guess.status);
        }
        const { users } = suite.getDb().schema;
        const [row] = await suite
          .getDb()
          .db.select({ lockedUntil: users.totpLockedUntil })
          .from(users)
          .where(eq(users.id, account.id));
        expect(row?.lockedUntil?.getTime() ?? 0).toBeGreaterThan(clock.now().getTime());
        const right = await login(lenient.url, account.email, PASSWORD, totpCode(secret, clock.now()));
        expect(right.status).toBe(429);
      } finally {
        await lenient.close();
      }
    });

    it('one code sent by four concurrent sign-ins opens one session', async () => {
      const lenient = await startTestServer(suite.getDb(), {
        clock,
        env: {
          RATE_LIMIT_PER_MIN: '100000',
          LOGIN_FAILURES_PER_15_MIN: '1000',
          REGISTRATIONS_PER_HOUR: '1000',
        },
      });
      try {
        const account = await register(lenient.url);
        const begin = await trpcBatch(lenient.url, [{ path: 'account.totp.begin' }], account.accessToken);
        const secret = begin.body[0].result.data.secret as string;
        await trpcBatch(
          lenient.url,
          [{ path: 'account.totp.confirm', input: { code: totpCode(secret, clock.now()) } }],
          account.accessToken,
        );
        clock.advance(30_000);
        const code = totpCode(secret, clock.now());
        const results = await Promise.all(
          Array.from({ length: 4 }, () => login(lenient.url, account.email, PASSWORD, code)),
        );
        expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);
      } finally {
        await lenient.close();
      }
    });
  });

  describe('the last enabled ADMIN', () => {
    async function twoAdmins() {
      const { users } = suite.getDb().schema;
      await suite.getDb().transaction(async (tx) => {
        await tx.update(users).set({ role: 'INVESTOR' }).where(eq(users.role, 'ADMIN'));
      });
      const a = await register();
      const b = await register();
      await setRole(a.id, 'ADMIN');
      await setRole(b.id, 'ADMIN');
      const tokenA = (await login(base, a.email)).body.accessToken as string;
      const tokenB = (await login(base, b.email)).body.accessToken as string;
      return { a: { ...a, token: tokenA }, b: { ...b, token: tokenB } };
    }

    async function enabledAdmins(): Promise<number> {
      const { users } = suite.getDb().schema;
      const rows = await suite
        .getDb()
        .db.select({ id: users.id, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.role, 'ADMIN'));
      return rows.filter((r) => r.disabledAt === null).length;
    }

    it('two admins demoting each other at once: one 200, one 409, an admin remains', async () => {
      const { a, b } = await twoAdmins();
      const results = await Promise.all([
        call(base, 'PATCH', `/api/v1/admin/users/${b.id}`, { token: a.token, body: { role: 'INVESTOR' } }),
        call(base, 'PATCH', `/api/v1/admin/users/${a.id}`, { token: b.token, body: { role: 'INVESTOR' } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      // The loser is refused either by the last-admin rule (409) or because its own role changed first (401).
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      expect(await enabledAdmins()).toBe(1);
    });

    it('two admins disabling each other at once: one 200, one refused, an admin remains', async () => {
      const { a, b } = await twoAdmins();
      const results = await Promise.all([
        call(base, 'PATCH', `/api/v1/admin/users/${b.id}`, { token: a.token, body: { disabled: true } }),
        call(base, 'PATCH', `/api/v1/admin/users/${a.id}`, { token: b.token, body: { disabled: true } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      expect(await enabledAdmins()).toBe(1);
    });
  });

  describe('socket.io handshakes', () => {
    it('count against the per-IP limit: over it, connect_error TOO_MANY_REQUESTS', async () => {
      const limited = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '4' } });
      const sockets: Socket[] = [];
      try {
        const account = await register();
        // A new minute: the register call above does not count against this window.
        clock.advance(2 * 60_000);
        for (let i = 0; i < 4; i++) {
          sockets.push(await connectSocket(limited.url, account.accessToken));
        }
        await expect(connectSocket(limited.url, account.accessToken)).rejects.toThrow('TOO_MANY_REQUESTS');
        clock.advance(60_000);
        sockets.push(await connectSocket(limited.url, account.accessToken));
      } finally {
        for (const socket of sockets) {
          socket.close();
        }
        await limited.close();
      }
    });

    it('refuse tokens still pending 2FA enrolment (they never join admin)', async () => {
      const strict = await startTestServer(suite.getDb(), {
        clock,
        env: { REQUIRE_ADMIN_2FA: 'true', RATE_LIMIT_PER_MIN: '100000' },
      });
      try {
        const admin = await register();
        await setRole(admin.id, 'ADMIN');
        const res = await login(strict.url, admin.email);
        expect(res.status).toBe(200);
        await expect(connectSocket(strict.url, res.body.accessToken)).rejects.toThrow('UNAUTHORIZED');
      } finally {
        await strict.close();
      }
    });
  });
});

/** Two servers, each with its own database handle, on one Postgres: every limit is shared. */
describeEachDialect(
  'limits shared by two server processes on one Postgres',
  (suite) => {
    const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
    let second: Database;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      const url = suite.getUrl();
      // On the real Postgres a second pool of connections; PGlite lives in this process, so it shares the handle.
      second = url ? await createDatabase(url, { poolSize: 5 }) : suite.getDb();
      const env = { RATE_LIMIT_PER_MIN: '6', LOGIN_FAILURES_PER_15_MIN: '3', REGISTRATIONS_PER_HOUR: '3' };
      a = await startTestServer(suite.getDb(), { clock, env });
      b = await startTestServer(second, { clock, env });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      if (second !== suite.getDb()) {
        await second.close();
      }
    });
    beforeEach(() => {
      clock.advance(2 * 60 * 60_000);
    });

    it('per-IP rate limit', async () => {
      const limited: boolean[] = [];
      for (const server of [a, b, a, b, a, b, a, b]) {
        limited.push((await call(server.url, 'GET', '/api/v1/pools')).status === 429);
      }
      expect(limited).toEqual([false, false, false, false, false, false, true, true]);
    });

    it('a concurrent burst through both servers lets exactly the limit through', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => call((i % 2 === 0 ? a : b).url, 'GET', '/api/v1/pools')),
      );
      const refused = results.filter((r) => r.status === 429);
      expect(refused).toHaveLength(20 - 6);
      for (const r of refused) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });

    it('registration limit and login throttle', async () => {
      const emails = ['x1@example.com', 'x2@example.com', 'x3@example.com', 'x4@example.com'];
      const registered: number[] = [];
      for (const [i, address] of emails.entries()) {
        const server = i % 2 === 0 ? a : b;
        registered.push(
          (
            await call(server.url, 'POST', '/api/v1/auth/register', {
              body: { email: address, password: PASSWORD },
            })
          ).status,
        );
      }
      expect(registered).toEqual([201, 201, 201, 429]);
      clock.advance(2 * 60_000);
      const attempts: number[] = [];
      for (const server of [a, b]) {
        attempts.push(
          (
            await call(server.url, 'POST', '/api/v1/auth/login', {
              body: { email: emails[0], password: WRONG },
            })
          ).status,
        );
      }
      clock.advance(2 * 60_000);
      for (const server of [a, b]) {
        attempts.push(
          (
            await call(server.url, 'POST', '/api/v1/auth/login', {
              body: { email: emails[0], password: WRONG },
            })
          ).status,
        );
      }
      expect(attempts).toEqual([401, 401, 401, 429]);
    });

    it('keeps the counters in the rate_limits table; the daily job prunes ended windows', async () => {
      const { rateLimits } = suite.getDb().schema;
      await call(a.url, 'GET', '/api/v1/pools');
      const live = await suite.getDb().db.select().from(rateLimits);
      expect(live.map((r) => r.key)).toContain('requests-ip/6:127.0.0.1');
      clock.advance(3 * 60 * 60_000);
      const result = await runDailyJobs(a.services);
      expect(result.pruned).toBeGreaterThanOrEqual(live.length);
      expect(await suite.getDb().db.select().from(rateLimits)).toEqual([]);
    });
  },
  { dialects: ['postgres'] },
);
