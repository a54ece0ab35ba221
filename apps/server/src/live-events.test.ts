import type { AppRouter } from '@tradepool/api';
import {
  appendEvent,
  eventsTransaction,
  latestEventId,
  runScheduledTransitions,
} from '@tradepool/api/server';
import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { type LiveEvent, ManualClock } from '@tradepool/domain';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { EventSource } from 'eventsource';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { call, startTestServer, type TestServer, testPool } from './test-support';

const HOUR = 3_600_000;
const PASSWORD = 'a long enough password';

type PoolUpdate = LiveEvent<{ pool: { id: string; status: string; name?: string }; previousStatus?: string }>;

function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function subscribe(socket: Socket, payload: unknown): Promise<{ ok: boolean; error?: string }> {
  return socket.timeout(5000).emitWithAck('pool:subscribe', payload);
}

/**
 * Collects `pool:update` events on a socket (of one pool, when given: managers also get every pool's updates in the
 * `admin` room) and resolves with the first `count`.
 */
function collect(
  socket: Socket,
  count: number,
  poolId?: string,
): { events: PoolUpdate[]; done: Promise<PoolUpdate[]> } {
  const events: PoolUpdate[] = [];
  const done = new Promise<PoolUpdate[]>((resolve) => {
    socket.on('pool:update', (event: PoolUpdate) => {
      if (poolId && event.poolId !== poolId) {
        return;
      }
      events.push(event);
      if (events.length === count) {
        resolve([...events]);
      }
    });
  });
  return { events, done };
}

function trpcFor(url: string, accessToken: string) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // The SPA's mechanism: EventSource cannot send headers, so the stream authenticates by the access cookie.
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => {
              const headers = new Headers(init?.headers);
              headers.set('cookie', `tp_access=${accessToken}`);
              return fetch(input, { ...init, headers });
            },
          },
        }),
        false: httpBatchLink({ url: `${url}/trpc`, headers: { authorization: `Bearer ${accessToken}` } }),
      }),
    ],
  });
}

describeEachDialect('live pool events', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let managerToken: string;
  let investorToken: string;
  let n = 0;

  const emails = { MANAGER: '', INVESTOR: '' };

  async function account(role: 'INVESTOR' | 'MANAGER') {
    const email = `live${++n}-${suite.dialect}@example.com`;
    const res = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    if (role !== 'INVESTOR') {
      const { users } = suite.getDb().schema;
      await suite.getDb().transaction(async (tx) => {
        await tx.update(users).set({ role }).where(eq(users.id, res.body.user.id));
      });
    }
    emails[role] = email;
  }

  /** Access tokens live 15 minutes and the tests move the clock by hours: sign in afresh before each test. */
  async function signIn(role: 'INVESTOR' | 'MANAGER') {
    const login = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: emails[role], password: PASSWORD },
    });
    return login.body.accessToken as string;
  }

  /** A pool whose start, end and settle dates come `step` apart (an hour by default). */
  const createDuePool = async (name: string, step = HOUR) => ({
    id: await testPool(server.url, managerToken, name, { now: clock.now(), stepMs: step }),
  });

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '100000' } });
    await account('MANAGER');
    await account('INVESTOR');
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    clock.advance(10 * HOUR);
    managerToken = await signIn('MANAGER');
    investorToken = await signIn('INVESTOR');
  });

  it('a socket sees ACTIVE → CLOSED → SETTLING once each, and nothing from other pools', async () => {
    const pool = await createDuePool('Watched');
    const other = await createDuePool('Not watched');
    const socket = await connectSocket(server.url, investorToken);
    try {
      const { events, done } = collect(socket, 3);
      expect(await subscribe(socket, { poolId: pool.id })).toEqual({ ok: true });
      clock.advance(4 * HOUR);
      await runScheduledTransitions(server.services);
      const received = await done;
      expect(received.map((e) => e.data.pool.status)).toEqual(['ACTIVE', 'CLOSED', 'SETTLING']);
      expect(received.map((e) => e.data.previousStatus)).toEqual(['PENDING', 'ACTIVE', 'CLOSED']);
      expect(received.every((e) => e.poolId === pool.id && e.type === 'pool:update')).toBe(true);
      const ids = received.map((e) => Number(e.id));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      // The other pool moved too, in the same tick: none of it reached this socket.
      await server.services.events.drain();
      await new Promise((resolve) => socket.emit('pool:unsubscribe', { poolId: pool.id }, resolve));
      expect(events).toHaveLength(3);
      expect(events.some((e) => e.poolId === other.id)).toBe(false);
    } finally {
      socket.close();
    }
  });

  it('a reconnect with lastEventId replays exactly what was missed, then continues live', async () => {
    const pool = await createDuePool('Resumable');
    const first = await connectSocket(server.url, investorToken);
    const initial = collect(first, 1);
    expect(await subscribe(first, { poolId: pool.id })).toEqual({ ok: true });
    clock.advance(1.5 * HOUR);
    await runScheduledTransitions(server.services);
    const [activated] = await initial.done;
    first.close();

    // While disconnected: CLOSED and SETTLING happen.
    clock.advance(2 * HOUR);
    await runScheduledTransitions(server.services);
    await server.services.events.drain();

    const second = await connectSocket(server.url, await signIn('INVESTOR'));
    try {
      const replay = collect(second, 3);
      expect(await subscribe(second, { poolId: pool.id, lastEventId: activated?.id })).toEqual({ ok: true });
      // And one live event after the replay: an admin edit.
      const edit = await call(server.url, 'PATCH', `/api/v1/pools/${pool.id}`, {
        token: await signIn('MANAGER'),
        body: { name: 'Resumed' },
      });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      const received = await replay.done;
      expect(received.map((e) => e.data.pool.status)).toEqual(['CLOSED', 'SETTLING', 'SETTLING']);
      expect(received[2]?.data.pool).toMatchObject({ name: 'Resumed' });
      const ids = received.map((e) => Number(e.id));
      expect(new Set(ids).size).toBe(3);
      expect(ids.every((id) => id > Number(activated?.id))).toBe(true);
    } finally {
      second.close();
    }
  });

  it('refuses subscriptions to unknown pools and malformed payloads', async () => {
    const socket = await connectSocket(server.url, investorToken);
    try {
      expect(await subscribe(socket, { poolId: 'no-such-pool' })).toEqual({
        ok: false,
        error: expect.stringContaining('NOT_FOUND'),
      });
      expect(await subscribe(socket, { poolId: 'x', lastEventId: 'abc' })).toMatchObject({ ok: false });
      expect(await subscribe(socket, { nope: true })).toMatchObject({ ok: false });
    } finally {
      socket.close();
    }
  });

  it('a tRPC subscription (SSE) sees the transitions once each and resumes from its last id', async () => {
    // Dates minutes apart: the stream lives no longer than its 15-minute access token, so the clock may not jump
    // past the token's expiry while the stream is open.
    const pool = await createDuePool('Streamed', 3 * 60_000);
    const trpc = trpcFor(server.url, investorToken);
    const seen: { id: string; status: string }[] = [];
    let resolveThree: () => void = () => {};
    const three = new Promise<void>((resolve) => {
      resolveThree = resolve;
    });
    let started: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    // Start from the pool's creation event, as a client that loaded the pool first would: whatever happens between
    // that load and the stream's start is replayed, not lost.
    const sinceCreation = String(await latestEventId(server.services.database));
    const subscription = trpc.pools.onEvents.subscribe(
      { poolId: pool.id, lastEventId: sinceCreation },
      {
        onError: (error) => {
          throw error;
        },
        onStarted: () => started(),
        onData: ({ id, data }) => {
          seen.push({ id, status: (data as PoolUpdate).data.pool.status });
          if (seen.length === 3) {
            resolveThree();
          }
        },
      },
    );
    await ready;
    clock.advance(10 * 60_000);
    await runScheduledTransitions(server.services);
    await three;
    subscription.unsubscribe();
    expect(seen.map((s) => s.status)).toEqual(['ACTIVE', 'CLOSED', 'SETTLING']);

    // Resume after the first one (signed in afresh: the clock moved past the old token's expiry): exactly the two
    // that followed.
    const fresh = trpcFor(server.url, await signIn('INVESTOR'));
    const resumed: string[] = [];
    const two = new Promise<void>((resolve) => {
      const again = fresh.pools.onEvents.subscribe(
        { poolId: pool.id, lastEventId: seen[0]?.id },
        {
          onError: (error) => {
            throw error;
          },
          onData: ({ data }) => {
            resumed.push((data as PoolUpdate).data.pool.status);
            if (resumed.length === 2) {
              again.unsubscribe();
              resolve();
            }
          },
        },
      );
    });
    await two;
    expect(resumed).toEqual(['CLOSED', 'SETTLING']);
  });

  it('a stream ends as soon as its session is revoked', async () => {
    const pool = await createDuePool('Revocable');
    const email = `revoked-${suite.dialect}@example.com`;
    const reg = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    const response = await fetch(
      `${server.url}/trpc/pools.onEvents?input=${encodeURIComponent(JSON.stringify({ poolId: pool.id }))}`,
      { headers: { accept: 'text/event-stream', cookie: `tp_access=${reg.body.accessToken}` } },
    );
    const reader = response.body?.getReader();
    if (!reader) {
      throw new Error('no stream');
    }
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: connected');
    const out = await call(server.url, 'POST', '/api/v1/auth/logout', {
      token: reg.body.accessToken,
      body: { refreshToken: reg.body.refreshToken },
    });
    expect(out.status).toBe(204);
    let rest = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) {
        break;
      }
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toContain('event: return');
  });

  it("a lastEventId replay never carries another user's user_ events from inside its id range (socket.io and SSE)", async () => {
    const pool = await createDuePool('Private range');
    const before = String(await latestEventId(server.services.database));
    // Inside the range: another investor's subscription, deposit and investment (user_ events, plus the pool's public
    // raised-amount update), and a user event that even names this pool.
    const email = `other-${suite.dialect}-${n++}@example.com`;
    const other = await call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD },
    });
    const otherToken = other.body.accessToken as string;
    const otherId = other.body.user.id as string;
    expect((await call(server.url, 'POST', '/api/v1/auth/subscribe', { token: otherToken })).status).toBe(
      200,
    );
    expect(
      (
        await call(server.url, 'POST', '/api/v1/wallet/deposits', {
          token: otherToken,
          body: { amountCents: 5_000 },
        })
      ).status,
    ).toBe(200);
    const invested = await call(server.url, 'POST', '/api/v1/investments', {
      token: otherToken,
      body: { poolId: pool.id, amountCents: 2_000 },
    });
    expect(invested.status, JSON.stringify(invested.body)).toBe(201);
    await eventsTransaction(server.services, (tx) =>
      appendEvent(server.services, tx, {
        type: 'wallet:update',
        poolId: pool.id,
        userId: otherId,
        data: { secret: 'private-to-the-other-user', balanceCents: 3_000 },
      }),
    );
    // The last event of the range, public: once it arrives, everything before it has been delivered (id order).
    const sentinel = await call(server.url, 'PATCH', `/api/v1/pools/${pool.id}`, {
      token: managerToken,
      body: { name: 'Private range, end' },
    });
    expect(sentinel.status).toBe(200);
    await server.services.events.drain();
    const { events: eventsTable } = suite.getDb().schema;
    const foreign = (await suite.getDb().db.select().from(eventsTable)).filter(
      (e) => e.userId === otherId && e.id > Number(before),
    );
    expect(foreign.length).toBeGreaterThanOrEqual(4);

    const isEnd = (e: { type: string; data: unknown }) =>
      e.type === 'pool:update' && (e.data as PoolUpdate['data']).pool.name === 'Private range, end';

    // socket.io: everything the socket receives, whatever the event name.
    const socket = await connectSocket(server.url, investorToken);
    try {
      const received: { type: string; event: LiveEvent }[] = [];
      const ended = new Promise<void>((resolve) => {
        socket.onAny((type: string, event: LiveEvent) => {
          received.push({ type, event });
          if (isEnd({ type, data: event.data })) {
            resolve();
          }
        });
      });
      expect(await subscribe(socket, { poolId: pool.id, lastEventId: before })).toEqual({ ok: true });
      await ended;
      expect(received.length).toBeGreaterThanOrEqual(2);
      for (const { type, event } of received) {
        expect(type).toBe('pool:update');
        expect(event.poolId).toBe(pool.id);
        expect(JSON.stringify(event)).not.toContain('private-to-the-other-user');
        expect(JSON.stringify(event)).not.toContain(otherId);
      }
    } finally {
      socket.close();
    }

    // SSE (tRPC subscription over EventSource), resumed from the same id.
    const trpc = trpcFor(server.url, investorToken);
    const streamed: { type: string; data: unknown; poolId?: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const subscription = trpc.pools.onEvents.subscribe(
        { poolId: pool.id, lastEventId: before },
        {
          onError: reject,
          onData: ({ data }) => {
            const event = data as LiveEvent;
            streamed.push({
              type: event.type,
              data: event.data,
              ...(event.poolId ? { poolId: event.poolId } : {}),
            });
            if (isEnd(event)) {
              subscription.unsubscribe();
              resolve();
            }
          },
        },
      );
    });
    expect(streamed.length).toBeGreaterThanOrEqual(2);
    for (const event of streamed) {
      expect(event.type).toBe('pool:update');
      expect(event.poolId).toBe(pool.id);
      expect(JSON.stringify(event)).not.toContain('private-to-the-other-user');
      expect(JSON.stringify(event)).not.toContain(otherId);
    }
  });

  it('streams refuse anonymous callers', async () => {
    const response = await fetch(
      `${server.url}/trpc/pools.onEvents?input=${encodeURIComponent(JSON.stringify({ poolId: 'x' }))}`,
      {
        headers: { accept: 'text/event-stream' },
      },
    );
    const text = await response.text();
    expect(text).toContain('UNAUTHORIZED');
  });
});

describeEachDialect('two server processes on one database', (suite) => {
  it('each transition is applied and announced once, and clients of both servers see it', async () => {
    const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
    const url = suite.getUrl();
    // A second, independent connection pool when the database has a URL (real Postgres or SQLite file); PGlite lives
    // in this process, so both servers share its handle.
    const second: Database = url ? await createDatabase(url) : suite.getDb();
    const a = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '100000' } });
    const b = await startTestServer(second, {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000' },
      eventPollMs: 50,
    });
    try {
      const email = `twin-${suite.dialect}@example.com`;
      const reg = await call(a.url, 'POST', '/api/v1/auth/register', { body: { email, password: PASSWORD } });
      const { users } = suite.getDb().schema;
      await suite.getDb().transaction(async (tx) => {
        await tx.update(users).set({ role: 'MANAGER' }).where(eq(users.id, reg.body.user.id));
      });
      const token = (await call(a.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } }))
        .body.accessToken as string;
      const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
      const pools = [];
      for (let i = 0; i < 5; i++) {
        const res = await call(a.url, 'POST', '/api/v1/pools', {
          token,
          body: {
            name: `Twin ${i}`,
            strategy: 'MARKET_NEUTRAL',
            pair: 'BTC/ETH',
            riskLevel: 'LOW',
            targetAmountCents: 100_000,
            minInvestmentCents: 100,
            startDate: at(1),
            endDate: at(2),
            settleDate: at(3),
          },
        });
        pools.push(res.body.id as string);
      }
      // Both servers first announce the pools' creation (B learns of A's commits by polling), so what the clients
      // subscribed below collect is the three transitions: a subscription is live from its server's dispatch cursor,
      // and a creation B had not yet dispatched would otherwise reach B's client as its first pool:update.
      await a.services.events.drain();
      await b.services.events.drain();
      const onA = await connectSocket(a.url, token);
      const onB = await connectSocket(b.url, token);
      const target = pools[0] ?? '';
      const seenA = collect(onA, 3, target);
      const seenB = collect(onB, 3, target);
      await subscribe(onA, { poolId: target });
      await subscribe(onB, { poolId: target });
      clock.advance(4 * HOUR);
      await Promise.all([
        a.scheduler?.tick() ?? runScheduledTransitions(a.services),
        runScheduledTransitions(b.services),
        runScheduledTransitions(a.services),
      ]);
      const { events, poolStatusHistory } = suite.getDb().schema;
      for (const id of pools) {
        const history = await suite
          .getDb()
          .db.select()
          .from(poolStatusHistory)
          .where(eq(poolStatusHistory.poolId, id));
        expect(history.map((h) => h.toStatus).sort()).toEqual(['ACTIVE', 'CLOSED', 'PENDING', 'SETTLING']);
        const announced = await suite.getDb().db.select().from(events).where(eq(events.poolId, id));
        expect(announced).toHaveLength(4);
      }
      expect((await seenA.done).map((e) => e.data.pool.status)).toEqual(['ACTIVE', 'CLOSED', 'SETTLING']);
      expect((await seenB.done).map((e) => e.data.pool.status)).toEqual(['ACTIVE', 'CLOSED', 'SETTLING']);
      onA.close();
      onB.close();
    } finally {
      await a.close();
      await b.close();
      if (second !== suite.getDb()) {
        await second.close();
      }
    }
  });
});
