/**
 * Multi-process suite (issue 11, CONTRACT §9): three built server processes on one fresh Postgres database behind
 * nginx round-robin (deploy/nginx/tradepool.conf), checked from outside as clients see them. Run by e2e/multi/run.sh
 * (which .ci/run calls); writes a JSON report ({passed, failed, tests}) that the CI summary counts.
 *
 * Environment: MULTI_REPORT (report path), PGURL (admin connection, default postgres://postgres@127.0.0.1:5432),
 * MULTI_BASE_PORT (default 18480: nginx on it, servers on the next three).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432';
const BASE_PORT = Number(process.env.MULTI_BASE_PORT ?? 18480);
const LB_PORT = BASE_PORT;
const PORTS = [BASE_PORT + 1, BASE_PORT + 2, BASE_PORT + 3];
const LB = `http://127.0.0.1:${LB_PORT}`;
const direct = (i: number) => `http://127.0.0.1:${PORTS[i]}`;
const REPORT = process.env.MULTI_REPORT ?? join(ROOT, '.ci/results/multi.json');

const SECRET = 'whsec_bXVsdGktcHJvY2Vzcy1zdWl0ZS13ZWJob29rLXNlY3JldC0wMTIzNDU2';
const METRICS_TOKEN = 'multi-process-suite-metrics-token-0123456789';
const ADMIN = { email: 'admin@multi.test', password: 'multi-admin-password-123' };
const PASSWORD = 'a-long-investor-password';
const RATE_LIMIT_PER_MIN = 100;
const LOGIN_FAILURES = 5;

const dbName = `tp_multi_${Date.now()}_${process.pid}`;
const DATABASE_URL = `${PGURL}/${dbName}`;
const work = mkdtempSync(join(tmpdir(), 'tp-multi-'));
const servers: Array<ChildProcess | null> = [null, null, null];
let nginx: ChildProcess | null = null;
const logs: string[] = [];

// ---------------------------------------------------------------------------------------------------------------
// Processes

function serverEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL,
    JWT_SECRET: 'multi-process-suite-jwt-secret-0123456789abcdef',
    MODEL_WEBHOOK_SECRET: SECRET,
    METRICS_TOKEN,
    TRUST_PROXY: 'true',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    REQUIRE_ADMIN_2FA: 'false',
    PAYMENT_PROVIDER: 'demo',
    SCHEDULER_CRON: '* * * * * *',
    RATE_LIMIT_PER_MIN: String(RATE_LIMIT_PER_MIN),
    LOGIN_FAILURES_PER_15_MIN: String(LOGIN_FAILURES),
    REGISTRATIONS_PER_HOUR: '1000',
    LOG_LEVEL: 'warn',
    SIMULATOR: 'off',
  };
}

async function waitReady(url: string, child: ChildProcess | null, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`process exited with ${child.exitCode} before it was ready`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

async function startServerProcess(i: number): Promise<void> {
  const port = PORTS[i] as number;
  const child = spawn(process.execPath, [join(ROOT, 'apps/server/dist/index.js')], {
    cwd: ROOT,
    env: serverEnv(port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(`[server ${i + 1}] ${line}`);
      }
    });
  }
  servers[i] = child;
  await waitReady(direct(i), child);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startNginx(): Promise<void> {
  const template = readFileSync(join(ROOT, 'deploy/nginx/tradepool.conf'), 'utf8');
  let site = template;
  const rewrites: Array<[string, string]> = [
    ['server 127.0.0.1:3001 ', `server 127.0.0.1:${PORTS[0]} `],
    ['server 127.0.0.1:3002 ', `server 127.0.0.1:${PORTS[1]} `],
    ['server 127.0.0.1:3003 ', `server 127.0.0.1:${PORTS[2]} `],
    ['listen 80;', `listen 127.0.0.1:${LB_PORT};`],
  ];
  for (const [from, to] of rewrites) {
    if (!site.includes(from)) {
      throw new Error(`deploy/nginx/tradepool.conf no longer contains "${from}": update e2e/multi/suite.ts`);
    }
    site = site.replace(from, to);
  }
  const prefix = join(work, 'nginx');
  for (const dir of ['logs', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    mkdirSync(join(prefix, dir), { recursive: true });
  }
  chmodSync(work, 0o755);
  for (const dir of ['', 'tmp', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    chmodSync(join(prefix, dir), 0o777);
  }
  writeFileSync(join(prefix, 'tradepool.conf'), site);
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  include ${prefix}/tradepool.conf;
}
`,
  );
  // Its own process group, so cleanup ends the master and its workers together (a killed master leaves workers
  // holding the port otherwise).
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(`[nginx] ${line}`);
      }
    });
  }
  nginx = child;
  await waitReady(LB, child, 20_000);
}

function psql(sql: string): void {
  execFileSync('psql', [`${PGURL}/postgres`, '-qc', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

let cleanedUp = false;
function cleanup(): void {
  if (cleanedUp) {
    return;
  }
  cleanedUp = true;
  for (const child of servers) {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  if (nginx?.pid) {
    try {
      process.kill(-nginx.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  try {
    psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  } catch {
    // best effort: the CI machine is thrown away anyway
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await delay(50);
  }
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the suite inspects arbitrary JSON answers.
  body: any;
}

/**
 * One HTTP request on a fresh connection. `ip` sets the source address (127.0.0.x): through nginx it becomes the
 * client IP the servers see, so checks of per-IP limits do not share a budget with the rest of the suite.
 */
function http(
  base: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    raw?: string;
    token?: string;
    headers?: Record<string, string>;
    ip?: string;
  } = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent: false,
        ...(options.ip ? { localAddress: options.ip } : {}),
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON (metrics text)
          }
          resolvePromise({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function postWebhook(base: string, poolId: string, n: number): Promise<Answer> {
  const body = JSON.stringify({
    event: 'trade_executed',
    poolId,
    data: { side: n % 2 ? 'SELL' : 'BUY', quantity: '1', symbol: 'BTC/USDT', price: String(45_000 + n) },
  });
  const id = `multi_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
  return http(base, 'POST', '/api/v1/webhook/model', {
    raw: body,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${signature}` },
  });
}

async function login(base: string, email: string, password: string, ip?: string): Promise<Answer> {
  return http(base, 'POST', '/api/v1/auth/login', { body: { email, password }, ...(ip ? { ip } : {}) });
}

let userCounter = 0;
async function newInvestor(): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  const email = `investor${++userCounter}-${Date.now()}@multi.test`;
  const res = await http(LB, 'POST', '/api/v1/auth/register', { body: { email, password: PASSWORD } });
  if (res.status !== 201) {
    throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return { email, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

interface Live {
  ids: number[];
  types: string[];
  statuses: string[];
  close(): void;
}

/** A socket.io client (websocket transport) subscribed to one pool, recording every pool event id it receives. */
async function socketClient(
  base: string,
  token: string,
  poolId: string,
  lastEventId?: number,
): Promise<Live & { socket: Socket }> {
  const socket = connect(base, {
    transports: ['websocket'],
    auth: { token: `Bearer ${token}` },
    reconnection: false,
    timeout: 20_000,
  });
  const live: Live & { socket: Socket } = {
    socket,
    ids: [],
    types: [],
    statuses: [],
    close: () => socket.close(),
  };
  const record =
    (type: string) => (event: { id: string; poolId?: string; data?: { pool?: { status?: string } } }) => {
      if (event.poolId !== poolId) {
        return;
      }
      live.ids.push(Number(event.id));
      live.types.push(type);
      if (type === 'pool:update' && event.data?.pool?.status) {
        live.statuses.push(event.data.pool.status);
      }
    };
  for (const type of ['trade:executed', 'pool:update', 'pnl:update', 'position:update']) {
    socket.on(type, record(type));
  }
  await new Promise<void>((resolvePromise, reject) => {
    socket.once('connect', () => resolvePromise());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(20_000).emitWithAck('pool:subscribe', {
    poolId,
    ...(lastEventId !== undefined ? { lastEventId } : {}),
  })) as { ok: boolean; error?: string };
  if (!ack.ok) {
    throw new Error(`pool:subscribe refused: ${ack.error}`);
  }
  return live;
}

/** A tRPC subscription over SSE (what the SPA uses), read with a tiny parser: `id:` and `data:` lines. */
async function sseClient(
  base: string,
  token: string,
  poolId: string,
  lastEventId?: number,
): Promise<Live & { ended: Promise<void> }> {
  const controller = new AbortController();
  const input = encodeURIComponent(
    JSON.stringify({ poolId, ...(lastEventId !== undefined ? { lastEventId: String(lastEventId) } : {}) }),
  );
  const response = await fetch(`${base}/trpc/pools.onEvents?input=${input}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`SSE answered ${response.status}`);
  }
  const live: Live & { ended: Promise<void> } = {
    ids: [],
    types: [],
    statuses: [],
    close: () => controller.abort(),
    ended: Promise.resolve(),
  };
  let started: () => void = () => {};
  const connected = new Promise<void>((r) => {
    started = r;
  });
  const reader = response.body.getReader();
  live.ended = (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const at = line.indexOf(':');
            if (at > 0) {
              fields[line.slice(0, at)] = (fields[line.slice(0, at)] ?? '') + line.slice(at + 1).trimStart();
            }
          }
          if (fields.event === 'connected') {
            started();
          }
          if (fields.id && fields.data) {
            const event = JSON.parse(fields.data) as {
              type?: string;
              poolId?: string;
              data?: { pool?: { status?: string } };
            };
            live.ids.push(Number(fields.id));
            live.types.push(event.type ?? '?');
            if (event.type === 'pool:update' && event.data?.pool?.status) {
              live.statuses.push(event.data.pool.status);
            }
          }
        }
      }
    } catch {
      // aborted or cut: `ended` resolves either way
    }
  })();
  await Promise.race([connected, delay(20_000).then(() => Promise.reject(new Error('SSE never connected')))]);
  return live;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

function onceInOrder(label: string, ids: number[], expected: number[]): void {
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert(dupes.length === 0, `${label}: repeated ids ${dupes.slice(0, 5).join(',')}`);
  for (let i = 1; i < ids.length; i++) {
    assert(
      (ids[i] as number) > (ids[i - 1] as number),
      `${label}: out of order at ${ids[i - 1]} → ${ids[i]}`,
    );
  }
  const missing = expected.filter((id) => !ids.includes(id));
  assert(
    missing.length === 0,
    `${label}: missing ${missing.length} of ${expected.length} (e.g. ${missing.slice(0, 5).join(',')})`,
  );
}

async function metricsOf(i: number): Promise<string> {
  const res = await http(direct(i), 'GET', '/metrics', { token: METRICS_TOKEN });
  assert(res.status === 200, `/metrics on process ${i + 1} answered ${res.status}`);
  return String(res.body);
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) {
      total += Number(match[3]);
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// The checks

interface Context {
  adminToken: string;
  poolId: string;
}

async function createActivePool(ctx: Context, name: string): Promise<string> {
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  const created = await http(LB, 'POST', '/api/v1/pools', {
    token: ctx.adminToken,
    body: {
      name,
      description: 'multi-process suite',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'HIGH',
      targetAmountCents: 1_000_000,
      minInvestmentCents: 100,
      startDate: at(3_600_000),
      endDate: at(48 * 3_600_000),
    },
  });
  assert(created.status === 201, `create pool answered ${created.status}: ${JSON.stringify(created.body)}`);
  const published = await http(LB, 'POST', `/api/v1/pools/${created.body.id}/publish`, {
    token: ctx.adminToken,
  });
  assert(published.status === 200, `publish answered ${published.status}: ${JSON.stringify(published.body)}`);
  assert(published.body.status === 'ACTIVE', `published pool is ${published.body.status}, not ACTIVE`);
  return created.body.id as string;
}

async function fanOut(ctx: Context): Promise<void> {
  const investor = await newInvestor();
  const sockets = await Promise.all(
    PORTS.map((_, i) => socketClient(direct(i), investor.accessToken, ctx.poolId)),
  );
  const viaLb = await socketClient(LB, investor.accessToken, ctx.poolId);
  const streams = await Promise.all(
    PORTS.map((_, i) => sseClient(direct(i), investor.accessToken, ctx.poolId)),
  );
  const streamViaLb = await sseClient(LB, investor.accessToken, ctx.poolId);
  try {
    const accepted: number[] = [];
    // Through nginx (round-robin over the three) and straight to each process, several at once.
    const targets = [LB, direct(0), direct(1), direct(2)];
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(
        targets.map((base, k) => postWebhook(base, ctx.poolId, round * 4 + k)),
      );
      for (const answer of answers) {
        assert(answer.status === 202, `webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        accepted.push(Number(answer.body.id));
      }
    }
    const all = [...sockets, viaLb, ...streams, streamViaLb];
    const names = [
      ...PORTS.map((_, i) => `socket on process ${i + 1}`),
      'socket via nginx',
      ...PORTS.map((_, i) => `SSE on process ${i + 1}`),
      'SSE via nginx',
    ];
    await until(
      'every client to see every event',
      () => all.every((c) => accepted.every((id) => c.ids.includes(id))),
      30_000,
    ).catch(() => undefined);
    const problems: string[] = [];
    all.forEach((client, k) => {
      try {
        onceInOrder(names[k] as string, client.ids, accepted);
      } catch (error) {
        problems.push((error as Error).message);
      }
    });
    if (problems.length > 0) {
      // Tell a live-dispatch skip from a storage problem: a replay from the table after the fact.
      const first = Math.min(...accepted);
      const replay = await socketClient(LB, investor.accessToken, ctx.poolId, first - 1);
      await until('the replay', () => replay.ids.length >= accepted.length, 10_000).catch(() => undefined);
      replay.close();
      const missing = accepted.filter((id) => !sockets[0]?.ids.includes(id));
      const positions = missing.map((id) => accepted.indexOf(id));
      problems.push(
        `missing on process 1 at post positions ${positions.join(',')} of ${accepted.length}; a replay from the table ` +
          `${missing.every((id) => replay.ids.includes(id)) ? 'has them all (live dispatch skipped them)' : 'lacks some'}`,
      );
    }
    assert(problems.length === 0, problems.join('; '));
  } finally {
    for (const client of [...sockets, viaLb, ...streams, streamViaLb]) {
      client.close();
    }
  }
}

async function resumeAfterKill(ctx: Context): Promise<void> {
  const investor = await newInvestor();
  // Clients on process 3, which is killed mid-stream; they come back through nginx with their last id.
  let socket = await socketClient(direct(2), investor.accessToken, ctx.poolId);
  let stream = await sseClient(direct(2), investor.accessToken, ctx.poolId);
  const socketIds: number[] = [];
  const streamIds: number[] = [];
  const accepted: number[] = [];
  let posting = true;
  let n = 1000;
  // A steady producer on processes 1 and 2 while process 3 dies.
  const producer = (async () => {
    while (posting) {
      const answer = await postWebhook(direct(n % 2), ctx.poolId, n++);
      assert(answer.status === 202, `webhook answered ${answer.status}`);
      accepted.push(Number(answer.body.id));
    }
  })();
  try {
    await until(
      'some events before the kill',
      () => socket.ids.length >= 5 && stream.ids.length >= 5,
      30_000,
    );
    const victim = servers[2] as ChildProcess;
    const dead = exited(victim);
    victim.kill('SIGKILL');
    await dead;
    await until('the socket to notice', () => !socket.socket.connected, 30_000);
    await stream.ended;
    socketIds.push(...socket.ids);
    streamIds.push(...stream.ids);
    socket.close();
    // Reconnect through nginx (which skips the dead process), resuming from the last id each one saw.
    socket = await socketClient(LB, investor.accessToken, ctx.poolId, socketIds.at(-1));
    stream = await sseClient(LB, investor.accessToken, ctx.poolId, streamIds.at(-1));
    const before = accepted.length;
    await until('more events after the resume', () => accepted.length >= before + 10, 30_000);
  } finally {
    posting = false;
    await producer;
  }
  await until(
    'the resumed clients to catch up',
    () =>
      accepted.every(
        (id) => [...socketIds, ...socket.ids].includes(id) && [...streamIds, ...stream.ids].includes(id),
      ),
    30_000,
  ).catch(() => undefined);
  socket.close();
  stream.close();
  onceInOrder('socket resumed after SIGKILL', [...socketIds, ...socket.ids], accepted);
  onceInOrder('SSE resumed after SIGKILL', [...streamIds, ...stream.ids], accepted);
  // Bring process 3 back for the checks that follow.
  await startServerProcess(2);
}

async function loginThrottle(): Promise<void> {
  const investor = await newInvestor();
  // Wrong passwords spread over the three processes: the account's budget is shared, not one per process.
  const statuses: number[] = [];
  for (let k = 0; k < LOGIN_FAILURES + 4; k++) {
    const res = await login(direct(k % 3), investor.email, 'not-the-password', undefined);
    statuses.push(res.status);
  }
  const verified = statuses.filter((s) => s === 401).length;
  assert(
    verified <= LOGIN_FAILURES,
    `${verified} wrong passwords verified across 3 processes (limit ${LOGIN_FAILURES}): ${statuses.join(',')}`,
  );
  assert(statuses.includes(429), `no 429 after ${statuses.length} failures: ${statuses.join(',')}`);
  for (let i = 0; i < 3; i++) {
    const right = await login(direct(i), investor.email, PASSWORD);
    assert(right.status === 429, `the right password on process ${i + 1} answered ${right.status}, not 429`);
  }
}

async function perIpLimit(): Promise<void> {
  // A client of its own (source 127.0.0.2 → nginx → X-Forwarded-For), spread round-robin over the three.
  const statuses: number[] = [];
  const total = RATE_LIMIT_PER_MIN * 2 + 50;
  for (let k = 0; k < total; k += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, total - k) }, () =>
        http(LB, 'GET', '/api/v1/pools', { ip: '127.0.0.2' }),
      ),
    );
    statuses.push(...batch.map((r) => r.status));
  }
  const allowed = statuses.filter((s) => s !== 429).length;
  // A fixed window crossed mid-run allows at most two windows' worth; one budget per process would allow three.
  assert(
    allowed <= RATE_LIMIT_PER_MIN * 2,
    `${allowed} of ${total} requests from one IP passed (limit ${RATE_LIMIT_PER_MIN}/min)`,
  );
  assert(statuses.includes(429), 'no request from one IP was refused');
  const other = await http(LB, 'GET', '/api/v1/pools', { ip: '127.0.0.3' });
  assert(other.status !== 429, 'another IP was refused too');
}

async function revocation(ctx: Context): Promise<void> {
  const investor = await newInvestor();
  const signedIn = await login(LB, investor.email, PASSWORD);
  assert(signedIn.status === 200, `login answered ${signedIn.status}`);
  const token = signedIn.body.accessToken as string;
  const socket = await socketClient(direct(0), token, ctx.poolId);
  const revokedReason = new Promise<string>((r) =>
    socket.socket.once('session:revoked', (p: { reason: string }) => r(p.reason)),
  );
  const disconnected = new Promise<void>((r) => socket.socket.once('disconnect', () => r()));
  const stream = await sseClient(direct(1), token, ctx.poolId);
  const out = await http(direct(2), 'POST', '/api/v1/auth/logout', {
    token,
    body: { refreshToken: signedIn.body.refreshToken },
  });
  assert(out.status === 204, `logout answered ${out.status}`);
  const timeout = (what: string) =>
    delay(10_000).then(() =>
      Promise.reject(new Error(`${what} not closed 10 s after logout on another process`)),
    );
  await Promise.race([disconnected, timeout('socket on process 1')]);
  await Promise.race([stream.ended, timeout('SSE stream on process 2')]);
  await revokedReason.catch(() => undefined);
  for (let i = 0; i < 3; i++) {
    const me = await http(direct(i), 'GET', '/api/v1/auth/me', { token });
    assert(me.status === 401, `the logged-out token still works on process ${i + 1} (${me.status})`);
  }
}

async function scheduledTransitions(ctx: Context): Promise<void> {
  const at = (ms: number) => new Date(Date.now() + ms).toISOString();
  const investor = await newInvestor();
  const created = await http(LB, 'POST', '/api/v1/pools', {
    token: ctx.adminToken,
    body: {
      name: 'Scheduled',
      description: 'walks its dates on all three schedulers at once',
      strategy: 'SWING_ETH',
      pair: 'ETH/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 100_000,
      minInvestmentCents: 100,
      startDate: at(6_000),
      endDate: at(9_000),
      settleDate: at(12_000),
    },
  });
  assert(created.status === 201, `create pool answered ${created.status}: ${JSON.stringify(created.body)}`);
  const poolId = created.body.id as string;
  const clients = await Promise.all(
    PORTS.map((_, i) => socketClient(direct(i), investor.accessToken, poolId)),
  );
  try {
    await until(
      'the pool to reach SETTLING on every process',
      () => clients.every((c) => c.statuses.includes('SETTLING')),
      60_000,
    );
    // Late duplicates would arrive right after: give the fan-out a moment by waiting for one more round trip each.
    await Promise.all(clients.map((c) => c.socket.timeout(10_000).emitWithAck('pool:subscribe', { poolId })));
    clients.forEach((c, i) => {
      const transitions = c.statuses.filter((s) => s !== 'PENDING');
      assert(
        JSON.stringify(transitions) === JSON.stringify(['ACTIVE', 'CLOSED', 'SETTLING']),
        `process ${i + 1} announced ${transitions.join(',')}, not ACTIVE,CLOSED,SETTLING once each`,
      );
      onceInOrder(`transitions on process ${i + 1}`, c.ids, []);
    });
  } finally {
    for (const c of clients) {
      c.close();
    }
  }
}

/**
 * A rolling restart under load: each process in turn gets SIGTERM (and exits 0) and is started again while a model
 * keeps posting through nginx, retrying an unanswered delivery with the same webhook-id as Standard Webhooks senders
 * do. Every delivery ends up stored exactly once, and every acknowledged one is there.
 */
async function rollingRestart(ctx: Context): Promise<void> {
  const poolId = await createActivePool(ctx, 'Rolling restart');
  const acknowledged: number[] = [];
  let deliveries = 0;
  let retries = 0;
  let producing = true;
  const producer = (async () => {
    for (let n = 0; producing; n++) {
      const body = JSON.stringify({
        event: 'trade_executed',
        poolId,
        data: { side: 'BUY', quantity: '1', symbol: 'BTC/USDT', price: String(40_000 + n) },
      });
      const id = `rolling_${randomUUID()}`;
      deliveries++;
      for (let attempt = 0; ; attempt++) {
        const ts = Math.floor(Date.now() / 1000);
        const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
        const signature = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
        const answer = await http(LB, 'POST', '/api/v1/webhook/model', {
          raw: body,
          headers: {
            'webhook-id': id,
            'webhook-timestamp': String(ts),
            'webhook-signature': `v1,${signature}`,
          },
        }).catch((error: Error) => ({ status: 0, body: error.message }));
        if (answer.status === 202) {
          acknowledged.push(Number(answer.body.id));
          break;
        }
        if (answer.status === 200 && answer.body?.duplicate === true) {
          break;
        }
        // A sender retries with back-off (Standard Webhooks); a process restarting on a loaded machine may take a
        // few seconds, during which nginx can still pick it once before marking it down.
        assert(attempt < 20, `delivery ${id} still failing after ${attempt + 1} attempts: ${answer.status}`);
        retries++;
        await delay(Math.min(200 * (attempt + 1), 2_000));
      }
    }
  })();
  // A failing producer must fail this check, not crash the suite with an unhandled rejection while we wait below.
  let producerError: unknown = null;
  producer.catch((error: unknown) => {
    producerError = error;
    producing = false;
  });
  const healthy = () => {
    if (producerError) {
      throw producerError;
    }
  };
  try {
    for (let i = 0; i < 3; i++) {
      healthy();
      const before = acknowledged.length;
      await until(
        'deliveries before the restart',
        () => {
          healthy();
          return acknowledged.length >= before + 5;
        },
        30_000,
      );
      const child = servers[i] as ChildProcess;
      const done = exited(child);
      child.kill('SIGTERM');
      await done;
      assert(
        child.exitCode === 0,
        `process ${i + 1} exited with ${child.exitCode ?? child.signalCode} on SIGTERM`,
      );
      await startServerProcess(i);
    }
    healthy();
    const before = acknowledged.length;
    await until(
      'deliveries after the last restart',
      () => {
        healthy();
        return acknowledged.length >= before + 5;
      },
      30_000,
    );
  } finally {
    producing = false;
    await producer;
  }
  // Everything the pool received, replayed from the table through nginx.
  const investor = await newInvestor();
  const replay = await socketClient(LB, investor.accessToken, poolId, 0);
  const trades = () => replay.ids.filter((_, k) => replay.types[k] === 'trade:executed');
  await until('the replay', () => trades().length >= deliveries, 30_000).catch(() => undefined);
  replay.close();
  onceInOrder('replay after the rolling restart', replay.ids, acknowledged);
  assert(
    trades().length === deliveries,
    `${deliveries} deliveries (${retries} retried) stored ${trades().length} trade events`,
  );
  console.log(`    ${deliveries} deliveries during the restarts, ${retries} retried by the sender`);
}

async function metricsOnEach(): Promise<void> {
  let webhooks = 0;
  for (let i = 0; i < 3; i++) {
    const text = await metricsOf(i);
    for (const family of [
      'tradepool_http_requests_total',
      'tradepool_event_dispatch_lag_seconds',
      'tradepool_socketio_connections',
      'tradepool_db_pool_connections',
      'tradepool_scheduler_runs_total',
    ]) {
      assert(text.includes(`# TYPE ${family} `), `/metrics on process ${i + 1} lacks ${family}`);
    }
    assert(sample(text, 'tradepool_scheduler_runs_total') > 0, `process ${i + 1} reports no scheduler run`);
    assert(
      sample(text, 'tradepool_events_dispatched_total') > 0,
      `process ${i + 1} reports no dispatched event`,
    );
    webhooks += sample(text, 'tradepool_webhook_deliveries_total', { outcome: 'accepted' });
    const anonymous = await http(direct(i), 'GET', '/metrics');
    assert(
      anonymous.status === 401,
      `/metrics without the token answered ${anonymous.status} on process ${i + 1}`,
    );
  }
  assert(webhooks > 0, 'no accepted webhook counted on any process');
  const viaLb = await http(LB, 'GET', '/metrics', { token: METRICS_TOKEN });
  assert(viaLb.status === 404, `nginx exposes /metrics (${viaLb.status})`);
}

// ---------------------------------------------------------------------------------------------------------------

interface Result {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const write = () => {
    mkdirSync(dirname(REPORT), { recursive: true });
    const passed = results.filter((r) => r.ok).length;
    writeFileSync(
      REPORT,
      `${JSON.stringify({ passed, failed: results.length - passed, tests: results }, null, 2)}\n`,
    );
  };
  const run = async (name: string, fn: () => Promise<void>) => {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
      console.log(`  ✗ ${name}: ${message}`);
    }
    write();
  };

  let ctx: Context | null = null;
  await run('setup: fresh database, migrations, 3 server processes behind nginx', async () => {
    psql(`CREATE DATABASE ${dbName}`);
    execFileSync('pnpm', ['db:migrate'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await Promise.all(PORTS.map((_, i) => startServerProcess(i)));
    await startNginx();
    const admin = await login(LB, ADMIN.email, ADMIN.password);
    assert(admin.status === 200, `admin login answered ${admin.status}: ${JSON.stringify(admin.body)}`);
    const partial = { adminToken: admin.body.accessToken as string, poolId: '' };
    partial.poolId = await createActivePool(partial, 'Fan-out');
    ctx = partial;
  });
  const checks: Array<[string, (c: Context) => Promise<void>]> = [
    [
      'an event posted through any process reaches sockets and SSE streams on all three, once and in order',
      fanOut,
    ],
    [
      'clients on a process killed (SIGKILL) mid-stream resume through another with nothing lost or repeated',
      resumeAfterKill,
    ],
    ['login throttle holds across processes', () => loginThrottle()],
    [
      'per-IP rate limit holds across processes (client IP from X-Forwarded-For via nginx)',
      () => perIpLimit(),
    ],
    ['logout on one process closes the sockets and streams on the others at once', revocation],
    [
      'each scheduled transition happens and is announced once with three schedulers ticking',
      scheduledTransitions,
    ],
    ['/metrics on each process (bearer token), hidden behind nginx', () => metricsOnEach()],
    [
      'rolling restart (SIGTERM each process in turn, exit 0) under webhook load through nginx loses nothing acknowledged',
      rollingRestart,
    ],
  ];
  for (const [name, fn] of checks) {
    if (!ctx) {
      results.push({ name, ok: false, ms: 0, error: 'setup failed' });
      write();
      continue;
    }
    const current: Context = ctx;
    await run(name, () => fn(current));
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    console.log('\nlast server/nginx log lines:');
    console.log(logs.slice(-40).join('\n'));
  }
  console.log(`multi-process: ${results.length - failed.length} passed, ${failed.length} failed`);
  cleanup();
  process.exit(failed.length === 0 ? 0 : 1);
}

void main();
