import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestUser } from '@tradepool/api/testing';
import { describeEachDialect } from '@tradepool/db/testing';
import { inArray } from 'drizzle-orm';
import { io as connect } from 'socket.io-client';
import { expect, it } from 'vitest';
import { publishedPool, startTestServer } from './test-support';

const SECRET = 'whsec_Z3JhY2VmdWwtcmVzdGFydC10ZXN0LXNlY3JldC0wMTIz';
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function signedDelivery(poolId: string) {
  const body = JSON.stringify({
    event: 'trade_executed',
    poolId,
    data: { side: 'BUY', quantity: '1', symbol: 'BTC/USDT', price: '45000' },
  });
  const id = `drain_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${signature}`,
    },
  };
}

type Outcome = { status: number; eventId: string | null } | { error: string };

/**
 * Starts a webhook POST and sends only the first part of its body; `finish()` sends the rest. The server has the
 * request (headers parsed, body pending) in flight until then.
 */
function slowPost(port: number, poolId: string) {
  const delivery = signedDelivery(poolId);
  let finish: () => void = () => {};
  const answer = new Promise<Outcome>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/webhook/model',
        method: 'POST',
        headers: delivery.headers,
        // A connection of its own, as nginx opens one per request to an upstream without `keepalive`: a request
        // written on a kept-alive connection the server is closing at that instant is a race no server can win.
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => {
          let eventId: string | null = null;
          try {
            eventId = (JSON.parse(text) as { id?: string }).id ?? null;
          } catch {
            // not JSON: the status says what happened
          }
          resolve({ status: res.statusCode ?? 0, eventId });
        });
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('error', (error) => resolve({ error: error.message }));
    req.write(delivery.body.slice(0, 20));
    finish = () => req.end(delivery.body.slice(20));
  });
  return { answer, finish: () => finish() };
}

async function spawnServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'test-jwt-secret-shared-by-test-servers-0123456789',
      MODEL_WEBHOOK_SECRET: SECRET,
      RATE_LIMIT_PER_MIN: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}: ${output}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready: ${output}`);
}

/** The server's `tradepool_http_requests_in_flight`, scraped on a fresh connection. */
function inFlight(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => {
        const line = text.split('\n').find((l) => l.startsWith('tradepool_http_requests_in_flight '));
        resolve(Number(line?.split(' ')[1] ?? Number.NaN));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachDialect('graceful rolling restart', (suite) => {
  it('SIGTERM: in-flight webhooks finish and are stored, sockets are dropped to reconnect and resume, the process exits 0', {
    timeout: 120_000,
  }, async () => {
    const url = suite.getUrl();
    if (!url) {
      // A child process cannot open this process's PGlite.
      expect(suite.driver()).toBe('pglite');
      return;
    }
    const db = suite.getDb();
    const setup = await startTestServer(db);
    const poolId = await publishedPool(setup.services, 'Draining');
    const investor = await createTestUser(setup.services, 'INVESTOR');
    await setup.close();

    const port = await freePort();
    let child = await spawnServer(url, port);
    const seen: number[] = [];
    const disconnects: string[] = [];
    // A client as the SPA runs one: websocket only, reconnecting by itself, resubscribing with its last id.
    const socket = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      auth: { token: `Bearer ${investor.accessToken}` },
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    socket.on('trade:executed', (event: { id: string }) => seen.push(Number(event.id)));
    socket.on('disconnect', (reason) => disconnects.push(reason));
    socket.on('connect', () => {
      socket.emit('pool:subscribe', { poolId, lastEventId: seen.at(-1) ?? null });
    });
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // One acknowledged delivery the socket sees live, so it has a last id to resume from.
      const first = slowPost(port, poolId);
      first.finish();
      const firstAnswer = await first.answer;
      expect(firstAnswer).toMatchObject({ status: 202 });

      const inflight = Array.from({ length: 8 }, () => slowPost(port, poolId));
      // Until the server has parsed their headers they are only connections in its accept queue, which closing
      // the listener resets: wait until its in-flight gauge counts all of them.
      await until(async () => (await inFlight(port)) >= inflight.length, 'slow deliveries in flight');
      const exited = exitOf(child);
      child.kill('SIGTERM');
      // Deliveries that race the shutdown: refused at the door or answered, never acknowledged and lost.
      const racing = Array.from({ length: 8 }, () => {
        const post = slowPost(port, poolId);
        post.finish();
        return post.answer;
      });
      for (const post of inflight) {
        post.finish();
      }
      const finished = await Promise.all(inflight.map((post) => post.answer));
      for (const outcome of finished) {
        expect(outcome).toMatchObject({ status: 202, eventId: expect.any(String) });
      }
      const raced = await Promise.all(racing);
      expect(await exited).toEqual({ code: 0, signal: null });

      const acknowledged = [firstAnswer, ...finished, ...raced]
        .filter((o): o is { status: number; eventId: string } => 'status' in o && o.status === 202)
        .map((o) => o.eventId);
      const { events } = db.schema;
      const stored = await db.db
        .select({ id: events.id })
        .from(events)
        .where(inArray(events.id, acknowledged.map(Number)));
      expect(stored.map((row) => String(row.id)).sort()).toEqual([...acknowledged].sort());
      // Closed as a transport, not "io server disconnect" (which a client takes as final and does not retry).
      expect(disconnects).toContain('transport close');
      expect(disconnects).not.toContain('io server disconnect');

      // The next process takes the port: the client reconnects by itself and resumes from its last id.
      child = await spawnServer(url, port);
      const expected = acknowledged.map(Number).sort((a, b) => a - b);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.off('trade:executed', check);
          reject(new Error(`resumed client saw ${seen.join(',')}, expected ${expected.join(',')}`));
        }, 30_000);
        function check() {
          if (expected.every((id) => seen.includes(id))) {
            clearTimeout(timer);
            socket.off('trade:executed', check);
            resolve();
          }
        }
        socket.on('trade:executed', check);
        check();
      });
      expect(seen).toEqual(expected);
      const stopped = exitOf(child);
      child.kill('SIGTERM');
      expect(await stopped).toEqual({ code: 0, signal: null });
    } finally {
      socket.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
      }
    }
  });
});
