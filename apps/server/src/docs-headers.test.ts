import { request } from 'node:http';
import { describeEachDialect } from '@tradepool/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support';

/** GET with an arbitrary Host header (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ csp: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve({ csp: String(res.headers['content-security-policy'] ?? '') });
    });
    req.on('error', reject);
    req.end();
  });
}

const connectSrc = (csp: string) => /(?:^|;\s*)connect-src ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];

describeEachDialect('API docs page and CSP', (suite) => {
  let server: TestServer;
  let behindProxy: TestServer;

  beforeAll(async () => {
    server = await startTestServer(suite.getDb());
    behindProxy = await startTestServer(suite.getDb(), { env: { PUBLIC_URL: 'https://pools.example.com' } });
  });
  afterAll(async () => {
    await server.close();
    await behindProxy.close();
  });

  it('the docs page does not keep bearer tokens in localStorage (persistAuthorization: false)', async () => {
    const init = await (await fetch(`${server.url}/api/v1/docs/init.js`)).text();
    expect(init).toMatch(/persistAuthorization:\s*false/);
    expect(init).not.toMatch(/persistAuthorization:\s*true/);
    const page = await fetch(`${server.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/v1/docs/init.js');
  });

  it("connect-src allows 'self' and this origin's ws/wss only, never websockets to any host", async () => {
    const res = await fetch(`${server.url}/api/v1/docs`);
    const sources = connectSrc(res.headers.get('content-security-policy') ?? '');
    const host = new URL(server.url).host;
    expect(sources).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(sources).not.toContain('ws:');
    expect(sources).not.toContain('wss:');
    // The same on the SPA shell's routes and API answers.
    const api = await fetch(`${server.url}/healthz`);
    expect(connectSrc(api.headers.get('content-security-policy') ?? '')).toEqual(sources);
  });

  it('uses PUBLIC_URL when set, and a forged Host header cannot widen or inject into the policy', async () => {
    const proxied = await fetch(`${behindProxy.url}/api/v1/docs`);
    expect(connectSrc(proxied.headers.get('content-security-policy') ?? '')).toEqual([
      "'self'",
      'ws://pools.example.com',
      'wss://pools.example.com',
    ]);
    // Node refuses some malformed Host headers itself (400, no policy at all); the rest must not reach the policy.
    for (const host of ['evil.example;script-src', 'evil.example/x', "evil.example'"]) {
      const forged = await getWithHost(`${server.url}/api/v1/docs`, host);
      if (forged.csp) {
        expect(connectSrc(forged.csp), host).toEqual(["'self'"]);
      }
      expect(forged.csp).not.toContain('evil');
    }
  });
});
