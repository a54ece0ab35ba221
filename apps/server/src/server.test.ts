import { request } from 'node:http';
import type { AppRouter } from '@tradepool/api';
import { describeEachDialect } from '@tradepool/db/testing';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { io as connect } from 'socket.io-client';
import { afterEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support';

describeEachDialect('server on a port', (suite) => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('serves SPA-facing tRPC, REST and socket.io on one port', async () => {
    server = await startTestServer(suite.getDb());
    const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
    const info = await trpc.system.info.query();
    expect(info.name).toBe('Tradepool');

    const rest = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(rest.status).toBe(200);

    const socket = connect(server.url, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    socket.close();
    expect(error.message).toBe('UNAUTHORIZED');
  });

  it('finishes in-flight requests on shutdown, then refuses new connections', async () => {
    const running = await startTestServer(suite.getDb());
    const { port } = running;
    let closing: Promise<void> | null = null;
    const body = JSON.stringify({ email: 'slow@example.com', password: 'a-long-password' });
    // A request whose body is still arriving when shutdown starts: it must be answered, not cut.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/auth/register',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      running.http.once('request', () => {
        // The server has the headers and is waiting for the rest of the body: shut down now, then finish it.
        setImmediate(() => {
          closing = running.close();
          req.end(body.slice(10));
        });
      });
      req.write(body.slice(0, 10));
    });
    const result = await answer;
    expect(result.status).toBe(201);
    expect(JSON.parse(result.text).user.email).toBe('slow@example.com');
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
