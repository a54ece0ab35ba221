import { createTestUser } from '@tradepool/api/testing';
import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

/**
 * Each server keeps the access tokens whose signature it has checked; none may keep accepting one after its session
 * or user is revoked through another server. Server B has its own connections to the database (PGlite, which lives in
 * one process, is shared), and no request waits for B to hear of the revocation.
 */
describeEachDialect('revocations reach every server at once', (suite) => {
  let a: TestServer;
  let b: TestServer;
  let second: Database | null = null;

  beforeAll(async () => {
    const url = suite.getUrl();
    second = url ? await createDatabase(url) : null;
    a = await startTestServer(suite.getDb());
    b = await startTestServer(second ?? suite.getDb());
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await second?.close();
  });

  const me = async (server: TestServer, token: string) =>
    (await call(server.url, 'GET', '/api/v1/auth/me', { token })).status;

  it('logout on one server refuses the token on the other at the next request', async () => {
    const user = await createTestUser(a.services, 'INVESTOR');
    expect([await me(a, user.accessToken), await me(b, user.accessToken)]).toEqual([200, 200]);
    const out = await call(a.url, 'POST', '/api/v1/auth/logout', {
      token: user.accessToken,
      body: { refreshToken: user.refreshToken },
    });
    expect(out.status).toBe(204);
    expect([await me(b, user.accessToken), await me(a, user.accessToken)]).toEqual([401, 401]);
  });

  it('disabling a user, or changing their role, on one server refuses their token on the other at once', async () => {
    // createTestUser promotes after registering: sign in again for a token that carries the role.
    const promoted = await createTestUser(a.services, 'ADMIN');
    const login = await call(a.url, 'POST', '/api/v1/auth/login', {
      body: { email: promoted.email, password: 'a-test-password' },
    });
    const adminToken = login.body.accessToken as string;
    for (const change of [{ disabled: true }, { role: 'MANAGER' }] as const) {
      const user = await createTestUser(a.services, 'INVESTOR');
      expect(await me(b, user.accessToken)).toBe(200);
      const res = await call(a.url, 'PATCH', `/api/v1/admin/users/${user.id}`, {
        token: adminToken,
        body: change,
      });
      expect(res.status).toBe(200);
      expect(await me(b, user.accessToken)).toBe(401);
    }
  });
});
