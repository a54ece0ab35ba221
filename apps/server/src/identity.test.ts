import { createHmac } from 'node:crypto';
import type { AppRouter } from '@tradepool/api';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const PASSWORD = 'correct horse battery staple';

function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at.getTime(),
  });
}

function trpcClient(url: string, accessToken: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${accessToken}` } })],
  });
}

function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

describeEachDialect('identity over HTTP', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T10:00:00Z'));
  let server: TestServer;
  let base: string;
  let n = 0;
  const email = () => `user${++n}-${suite.dialect}@example.com`;

  const trpcAs = (accessToken: string) => trpcClient(base, accessToken);

  async function register(address = email(), password = PASSWORD) {
    const res = await call(base, 'POST', '/api/v1/auth/register', { body: { email: address, password } });
    expect(res.status).toBe(201);
    return { email: address, password, ...res.body } as {
      email: string;
      password: string;
      accessToken: string;
      refreshToken: string;
      user: { id: string };
    };
  }

  async function makeRole(userId: string, role: 'ADMIN' | 'MANAGER') {
    const { users } = suite.getDb().schema;
    await suite.getDb().transaction(async (tx) => {
      await tx.update(users).set({ role }).where(eq(users.id, userId));
    });
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000', LOGIN_FAILURES_PER_15_MIN: '5' },
    });
    base = server.url;
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    clock.advance(60 * 60_000);
  });

  describe('register, login, me, refresh, logout', () => {
    it('registers an investor and answers the contract shapes', async () => {
      const address = email();
      const res = await call(base, 'POST', '/api/v1/auth/register', {
        body: { email: address.toUpperCase(), password: PASSWORD, displayName: 'Ann' },
      });
      expect(res.status).toBe(201);
      expect(res.body.user).toEqual({
        id: expect.any(String),
        email: address,
        displayName: 'Ann',
        role: 'INVESTOR',
        subscriptionExpiresAt: null,
        isSubscriptionActive: false,
        totpEnabled: false,
      });
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body.refreshToken).toEqual(expect.any(String));
      const me = await call(base, 'GET', '/api/v1/auth/me', { token: res.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.user).toEqual(res.body.user);
    });

    it('refuses a taken email with 409, and bad input with 400 naming each field', async () => {
      const { email: taken } = await register();
      const dup = await call(base, 'POST', '/api/v1/auth/register', {
        body: { email: taken, password: PASSWORD },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('CONFLICT');
      const bad = await call(base, 'POST', '/api/v1/auth/register', {
        body: { email: 'nope', password: 'short' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('BAD_REQUEST');
      expect(Object.keys(bad.body.fields)).toEqual(expect.arrayContaining(['email', 'password']));
    });

    it('rejects fields a client may not set (role, balance, userId, status)', async () => {
      for (const extra of [{ role: 'ADMIN' }, { balance: 100 }, { userId: 'x' }, { status: 'ACTIVE' }]) {
        const res = await call(base, 'POST', '/api/v1/auth/register', {
          body: { email: email(), password: PASSWORD, ...extra },
        });
        expect(res.status).toBe(400);
        expect(Object.keys(res.body.fields)).toEqual(Object.keys(extra));
      }
    });

    it('answers unknown email and wrong password identically', async () => {
      const { email: known } = await register();
      const wrong = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: known, password: 'not the password' },
      });
      const unknown = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: `ghost-${known}`, password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({ code: 'UNAUTHORIZED', message: 'Invalid email or password' });
    });

    it('stores argon2id hashes with at least 19 MiB, 2 passes, 1 lane; long and Unicode passwords work', async () => {
      const long = 'ü'.repeat(40) + '密码🔐'.repeat(10);
      const account = await register(email(), long);
      const { users } = suite.getDb().schema;
      const [row] = await suite.getDb().db.select().from(users).where(eq(users.id, account.user.id));
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(row?.passwordHash ?? '');
      expect(match).not.toBeNull();
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(19_456);
      expect(Number(match?.[2])).toBeGreaterThanOrEqual(2);
      expect(Number(match?.[3])).toBe(1);
      const login = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: account.email, password: long },
      });
      expect(login.status).toBe(200);
      // The NFC and NFD spellings of the same text are the same password.
      const nfd = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: account.email, password: long.normalize('NFD') },
      });
      expect(nfd.status).toBe(200);
    });

    it('rotates refresh tokens: the old one is spent, reusing it revokes the whole family', async () => {
      const account = await register();
      const first = await call(base, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: account.refreshToken },
      });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(account.refreshToken);
      const reuse = await call(base, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: account.refreshToken },
      });
      expect(reuse.status).toBe(401);
      // The family is gone: the token issued by the legitimate rotation, and its access token, stop working too.
      const next = await call(base, 'POST', '/api/v1/auth/refresh', {
        body: { refreshToken: first.body.refreshToken },
      });
      expect(next.status).toBe(401);
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: first.body.accessToken })).status).toBe(
        401,
      );
    });

    it('ends refresh tokens at their absolute expiry even when used regularly', async () => {
      const account = await register();
      let token = account.refreshToken;
      for (let day = 0; day < 29; day += 7) {
        clock.advance(7 * 24 * 60 * 60_000);
        const res = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: token } });
        if (day + 7 < 30) {
          expect(res.status).toBe(200);
          token = res.body.refreshToken;
        } else {
          expect(res.status).toBe(401);
        }
      }
      clock.advance(2 * 24 * 60 * 60_000);
      expect(
        (await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: token } })).status,
      ).toBe(401);
    });

    it('logout ends the session: access token and refresh token refused', async () => {
      const account = await register();
      const out = await call(base, 'POST', '/api/v1/auth/logout', {
        token: account.accessToken,
        body: { refreshToken: account.refreshToken },
      });
      expect(out.status).toBe(204);
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: account.accessToken })).status).toBe(401);
      expect(
        (await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }))
          .status,
      ).toBe(401);
    });
  });

  describe('access tokens', () => {
    it('refuses alg none, other algorithms, wrong audience, expired, tampered, and a refresh token as access', async () => {
      const account = await register();
      const secret = new TextEncoder().encode(server.env.jwtSecret);
      const [header, payload, signature] = account.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(clock.now().getTime() / 1000);
      const forged = [
        `${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`,
        await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', typ: 'at+jwt' }).sign(secret),
        await new SignJWT({ ...claims, aud: 'someone-else' })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
          .sign(secret),
        await new SignJWT({ ...claims, exp: now - 1 })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
          .sign(secret),
        await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret),
        `${header}.${b64({ ...claims, role: 'ADMIN' })}.${signature}`,
        `${header}.${payload}.${createHmac('sha256', 'wrong-secret').update(`${header}.${payload}`).digest('base64url')}`,
        account.refreshToken,
      ];
      for (const token of forged) {
        const res = await call(base, 'GET', '/api/v1/auth/me', { token });
        expect(res.status, token.slice(0, 40)).toBe(401);
        expect(res.body.code).toBe('UNAUTHORIZED');
      }
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: account.accessToken })).status).toBe(200);
      clock.advance(15 * 60_000 + 1000);
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: account.accessToken })).status).toBe(401);
    });
  });

  describe('admin changes end sessions at once', () => {
    it('role change, disabling and password change refuse old tokens and close open sockets', async () => {
      const admin = await register();
      await makeRole(admin.user.id, 'ADMIN');
      const adminLogin = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: PASSWORD },
      });
      const adminToken = adminLogin.body.accessToken as string;

      for (const change of [{ role: 'MANAGER' }, { disabled: true }] as const) {
        const victim = await register();
        const socket = await connectSocket(base, victim.accessToken);
        const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
        const res = await call(base, 'PATCH', `/api/v1/admin/users/${victim.user.id}`, {
          token: adminToken,
          body: change,
        });
        expect(res.status).toBe(200);
        expect(await closed).toBe('io server disconnect');
        expect((await call(base, 'GET', '/api/v1/auth/me', { token: victim.accessToken })).status).toBe(401);
        expect(
          (await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: victim.refreshToken } }))
            .status,
        ).toBe(401);
      }

      const disabled = await register();
      await call(base, 'PATCH', `/api/v1/admin/users/${disabled.user.id}`, {
        token: adminToken,
        body: { disabled: true },
      });
      const refused = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: disabled.email, password: PASSWORD },
      });
      expect(refused.status).toBe(403);

      const other = await register();
      const socket = await connectSocket(base, other.accessToken);
      const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
      const changed = await trpcAs(other.accessToken).account.changePassword.mutate({
        currentPassword: PASSWORD,
        newPassword: 'a brand new password',
      });
      expect(changed.accessToken).not.toBe(other.accessToken);
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: changed.accessToken })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      expect((await call(base, 'GET', '/api/v1/auth/me', { token: other.accessToken })).status).toBe(401);
      expect(
        (await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }))
          .status,
      ).toBe(401);
    });

    it('admin routes refuse investors with 403 and anonymous callers with 401', async () => {
      const investor = await register();
      for (const [method, path] of [
        ['GET', '/api/v1/admin/users'],
        ['GET', '/api/v1/admin/audit'],
        ['PATCH', `/api/v1/admin/users/${investor.user.id}`],
      ] as const) {
        const asInvestor = await call(base, method, path, {
          token: investor.accessToken,
          body: method === 'PATCH' ? { role: 'ADMIN' } : undefined,
        });
        expect(asInvestor.status).toBe(403);
        expect(asInvestor.body.code).toBe('FORBIDDEN');
        expect(
          (await call(base, method, path, { body: method === 'PATCH' ? { role: 'ADMIN' } : undefined }))
            .status,
        ).toBe(401);
      }
    });
  });

  describe('socket.io handshake', () => {
    it('joins user_<id>, and admin for ADMIN/MANAGER; refuses missing, forged, expired tokens and foreign origins', async () => {
      const investor = await register();
      const socket = await connectSocket(base, investor.accessToken);
      const rooms = [...(server.io.of('/').sockets.get(socket.id ?? '')?.rooms ?? [])];
      expect(rooms).toContain(`user_${investor.user.id}`);
      expect(rooms).not.toContain('admin');
      socket.close();

      const manager = await register();
      await makeRole(manager.user.id, 'MANAGER');
      const login = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: manager.email, password: PASSWORD },
      });
      const managerSocket = await connectSocket(base, login.body.accessToken);
      expect([...(server.io.of('/').sockets.get(managerSocket.id ?? '')?.rooms ?? [])]).toContain('admin');
      managerSocket.close();

      await expect(connectSocket(base, '')).rejects.toThrow('UNAUTHORIZED');
      await expect(connectSocket(base, `${investor.accessToken}x`)).rejects.toThrow('UNAUTHORIZED');
      const foreign = connect(base, {
        transports: ['polling'],
        reconnection: false,
        auth: { token: `Bearer ${investor.accessToken}` },
        extraHeaders: { origin: 'https://evil.example' },
      });
      await expect(new Promise((_, reject) => foreign.once('connect_error', reject))).rejects.toThrow(
        'UNAUTHORIZED',
      );
      foreign.close();
      clock.advance(16 * 60_000);
      await expect(connectSocket(base, investor.accessToken)).rejects.toThrow('UNAUTHORIZED');
    });
  });

  describe('two-factor authentication', () => {
    async function enroll(accessToken: string) {
      const trpc = trpcAs(accessToken);
      const begin = await trpc.account.totp.begin.mutate();
      const secret = begin.secret;
      expect(begin.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(begin.otpauthUrl).toContain('otpauth://totp/Tradepool');
      const { recoveryCodes } = await trpc.account.totp.confirm.mutate({
        code: totpCode(secret, clock.now()),
      });
      expect(recoveryCodes).toHaveLength(10);
      return { secret, recoveryCodes, trpc };
    }

    it('requires the code at login; a code works once; ±1 step only; recovery codes work once', async () => {
      const account = await register();
      const { secret, recoveryCodes } = await enroll(account.accessToken);
      const login = (totp?: string) =>
        call(base, 'POST', '/api/v1/auth/login', {
          body: { email: account.email, password: PASSWORD, ...(totp ? { totp } : {}) },
        });

      const missing = await login();
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ code: 'UNAUTHORIZED', totpRequired: true });

      clock.advance(30_000);
      const code = totpCode(secret, clock.now());
      expect((await login(code)).status).toBe(200);
      expect((await login(code)).status).toBe(401);

      clock.advance(60_000);
      expect((await login(totpCode(secret, new Date(clock.now().getTime() - 30_000)))).status).toBe(200);
      clock.advance(60_000);
      expect((await login(totpCode(secret, new Date(clock.now().getTime() - 90_000)))).status).toBe(401);
      expect((await login(totpCode(secret, new Date(clock.now().getTime() + 90_000)))).status).toBe(401);

      const recovery = recoveryCodes[0] ?? '';
      expect((await login(recovery)).status).toBe(200);
      expect((await login(recovery)).status).toBe(401);
    });

    it('answers a clear 503, not a 500, when the seed was sealed under another SECRETS_KEY', async () => {
      const account = await register();
      const { secret } = await enroll(account.accessToken);
      const rekeyed = await startTestServer(suite.getDb(), {
        clock,
        env: { SECRETS_KEY: 'another-secrets-key-another-secrets-key-0123', RATE_LIMIT_PER_MIN: '100000' },
      });
      try {
        clock.advance(30_000);
        const res = await call(rekeyed.url, 'POST', '/api/v1/auth/login', {
          body: { email: account.email, password: PASSWORD, totp: totpCode(secret, clock.now()) },
        });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          message: expect.stringContaining('secrets key changed'),
        });
      } finally {
        await rekeyed.close();
      }
    });

    it('locks second-factor checks after repeated failures, even with the right code', async () => {
      const account = await register();
      const { secret } = await enroll(account.accessToken);
      const login = (totp: string) =>
        call(base, 'POST', '/api/v1/auth/login', {
          body: { email: account.email, password: PASSWORD, totp },
        });
      for (let i = 0; i < 4; i++) {
        expect((await login('000000')).status).toBe(401);
      }
      expect((await login('000000')).status).toBe(429);
      clock.advance(30_000);
      const locked = await login(totpCode(secret, clock.now()));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      clock.advance(15 * 60_000);
      expect((await login(totpCode(secret, clock.now()))).status).toBe(200);
    });

    it('walks an admin without 2FA through enrolment first when REQUIRE_ADMIN_2FA is on', async () => {
      const strict = await startTestServer(suite.getDb(), {
        clock,
        env: { REQUIRE_ADMIN_2FA: 'true', RATE_LIMIT_PER_MIN: '100000' },
      });
      try {
        const admin = await register();
        await makeRole(admin.user.id, 'ADMIN');
        const login = await call(strict.url, 'POST', '/api/v1/auth/login', {
          body: { email: admin.email, password: PASSWORD },
        });
        expect(login.status).toBe(200);
        const limited = login.body.accessToken as string;
        const users = await call(strict.url, 'GET', '/api/v1/admin/users', { token: limited });
        expect(users.status).toBe(403);
        expect(users.body).toMatchObject({ code: 'FORBIDDEN', totpEnrollmentRequired: true });
        expect((await call(strict.url, 'GET', '/api/v1/auth/me', { token: limited })).status).toBe(200);

        base = strict.url;
        const { secret } = await enroll(limited);
        clock.advance(30_000);
        const full = await call(strict.url, 'POST', '/api/v1/auth/login', {
          body: { email: admin.email, password: PASSWORD, totp: totpCode(secret, clock.now()) },
        });
        expect(full.status).toBe(200);
        expect(
          (await call(strict.url, 'GET', '/api/v1/admin/users', { token: full.body.accessToken })).status,
        ).toBe(200);
      } finally {
        base = server.url;
        await strict.close();
      }
    });
  });

  describe('rate limits', () => {
    it('throttles failed logins per account even when X-Forwarded-For rotates', async () => {
      const account = await register();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await call(base, 'POST', '/api/v1/auth/login', {
          body: { email: account.email, password: 'wrong password' },
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(res.body.code).toBe('TOO_MANY_REQUESTS');
        }
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      // Even the right password waits until the window has passed.
      expect(
        (
          await call(base, 'POST', '/api/v1/auth/login', {
            body: { email: account.email, password: PASSWORD },
          })
        ).status,
      ).toBe(429);
      clock.advance(15 * 60_000);
      expect(
        (
          await call(base, 'POST', '/api/v1/auth/login', {
            body: { email: account.email, password: PASSWORD },
          })
        ).status,
      ).toBe(200);
    });

    it('answers a burst above RATE_LIMIT_PER_MIN with 429 and Retry-After, and the refused requests change nothing', async () => {
      const limited = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '5' } });
      try {
        const addresses = Array.from({ length: 8 }, () => email());
        const results = await Promise.all(
          addresses.map((address) =>
            call(limited.url, 'POST', '/api/v1/auth/register', {
              body: { email: address, password: PASSWORD },
            }),
          ),
        );
        const created = results.filter((r) => r.status === 201).length;
        const refused = results.filter((r) => r.status === 429);
        expect(created).toBe(5);
        expect(refused).toHaveLength(3);
        for (const r of refused) {
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(r.body.code).toBe('TOO_MANY_REQUESTS');
        }
        const { users } = suite.getDb().schema;
        const rows = await suite.getDb().db.select({ email: users.email }).from(users);
        const stored = new Set(rows.map((r) => r.email));
        expect(addresses.filter((a) => stored.has(a))).toHaveLength(5);
        expect((await call(limited.url, 'GET', '/healthz')).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('limits new accounts per IP per hour', async () => {
      const limited = await startTestServer(suite.getDb(), {
        clock,
        env: { REGISTRATIONS_PER_HOUR: '2', RATE_LIMIT_PER_MIN: '1000' },
      });
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          statuses.push(
            (
              await call(limited.url, 'POST', '/api/v1/auth/register', {
                body: { email: email(), password: PASSWORD },
              })
            ).status,
          );
        }
        expect(statuses).toEqual([201, 201, 429]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('audit log', () => {
    it('records identity actions in a hash chain that verifies, and detects tampering', async () => {
      const admin = await register();
      await makeRole(admin.user.id, 'ADMIN');
      const login = await call(base, 'POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: PASSWORD },
      });
      const token = login.body.accessToken as string;
      const page = await call(base, 'GET', `/api/v1/admin/audit?actor=${encodeURIComponent(admin.email)}`, {
        token,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.map((e: { action: string }) => e.action)).toEqual([
        'auth.login',
        'user.registered',
      ]);
      expect(page.body.items[0]).toMatchObject({
        actorId: admin.user.id,
        ip: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(page.body.items[0].prevHash).not.toBe(page.body.items[0].hash);

      const intact = await call(base, 'GET', '/api/v1/admin/audit/verify', { token });
      expect(intact.body).toMatchObject({ intact: true, brokenAt: null });

      const { auditEntries } = suite.getDb().schema;
      const victim = page.body.items[1];
      await suite.getDb().transaction(async (tx) => {
        await tx.update(auditEntries).set({ ip: '10.6.6.6' }).where(eq(auditEntries.id, victim.id));
      });
      const broken = await call(base, 'GET', '/api/v1/admin/audit/verify', { token });
      expect(broken.body.intact).toBe(false);
      expect(broken.body.brokenAt).toMatchObject({
        id: victim.id,
        reason: 'content does not match its hash',
      });
      await suite.getDb().transaction(async (tx) => {
        await tx.update(auditEntries).set({ ip: victim.ip }).where(eq(auditEntries.id, victim.id));
      });
      expect((await call(base, 'GET', '/api/v1/admin/audit/verify', { token })).body.intact).toBe(true);
    });
  });
});
