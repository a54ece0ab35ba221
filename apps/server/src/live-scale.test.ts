import type { AppRouter } from '@tradepool/api';
import { appendEvent, eventsTransaction } from '@tradepool/api/server';
import { createDatabase, type Database } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { type LiveEvent, ManualClock } from '@tradepool/domain';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer, testAccount, testPool } from './test-support';

const HOUR = 3_600_000;

type Seq = LiveEvent<{ seq?: number; pool?: unknown }>;

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
  return socket.timeout(20_000).emitWithAck('pool:subscribe', payload);
}

/** Every event type a socket may receive, in arrival order. */
function record(socket: Socket): Seq[] {
  const seen: Seq[] = [];
  socket.onAny((_type: string, event: Seq) => {
    if (event && typeof event === 'object' && 'id' in event) {
      seen.push(event);
    }
  });
  return seen;
}

/** Resolves when `predicate` holds for what a socket has recorded (checked on every event it receives). */
function until(socket: Socket, seen: Seq[], predicate: (seen: Seq[]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(seen)) {
      resolve();
      return;
    }
    const check = () => {
      if (predicate(seen)) {
        socket.offAny(check);
        resolve();
      }
    };
    // Registered after `record`'s listener, so `seen` already holds the event when this runs.
    socket.onAny(check);
  });
}

function trpcFor(url: string, accessToken: string) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
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

/** Appends `count` pool events numbered from `from` (data `{seq}`), `perTransaction` per commit; returns their ids. */
async function appendPoolEvents(
  server: TestServer,
  poolId: string,
  from: number,
  count: number,
  options: { perTransaction?: number; padding?: string } = {},
): Promise<string[]> {
  const per = options.perTransaction ?? 100;
  const ids: string[] = [];
  const { events } = server.services.database.schema;
  for (let start = from; start < from + count; start += per) {
    const end = Math.min(from + count, start + per);
    // One multi-row INSERT per transaction (ids and, on Postgres, xact ids come from the column defaults).
    await eventsTransaction(server.services, async (tx) => {
      const rows = await tx
        .insert(events)
        .values(
          Array.from({ length: end - start }, (_, i) => ({
            type: 'pool:update',
            poolId,
            payload: options.padding ? { seq: start + i, padding: options.padding } : { seq: start + i },
            at: server.services.clock.now(),
          })),
        )
        .returning({ id: events.id });
      ids.push(...rows.map((r) => String(r.id)));
    });
  }
  await server.services.events.drain();
  return ids;
}

function seqs(events: Seq[], poolId: string): number[] {
  // Pool creation and other announcements carry no `seq`: only the test's own events are counted.
  return events
    .filter((e) => e.poolId === poolId && e.type === 'pool:update' && typeof e.data.seq === 'number')
    .map((e) => e.data.seq ?? -1);
}

describeEachDialect('live events: replay limits, subscribe limits and scopes', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let n = 0;

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000', REPLAY_MAX_EVENTS: '50' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const account = (role: 'INVESTOR' | 'MANAGER' = 'INVESTOR') =>
    testAccount(server.url, suite.getDb(), `scale${++n}-${suite.dialect}@example.com`, role);
  const createPool = (token: string, name: string) => testPool(server.url, token, name, { now: clock.now() });

  it('a replay longer than REPLAY_MAX_EVENTS answers RESYNC_REQUIRED, over socket.io and SSE; a shorter one replays, then live', async () => {
    const manager = await account('MANAGER');
    const investor = await account();
    const poolId = await createPool(manager.token, 'Long history');
    const ids = await appendPoolEvents(server, poolId, 0, 60);

    const socket = await connectSocket(server.url, investor.token);
    const seen = record(socket);
    try {
      expect(await subscribe(socket, { poolId, lastEventId: '0' })).toEqual({
        ok: false,
        error: 'RESYNC_REQUIRED',
      });
      // 60 events after id 0 is over the cap of 50; nothing was replayed and the socket did not join.
      await appendPoolEvents(server, poolId, 60, 1);
      // 51 after the 10th is still too many; exactly 50 after the 11th is allowed.
      expect(await subscribe(socket, { poolId, lastEventId: ids[9] })).toEqual({
        ok: false,
        error: 'RESYNC_REQUIRED',
      });
      expect(await subscribe(socket, { poolId, lastEventId: ids[10] })).toEqual({ ok: true });
      await appendPoolEvents(server, poolId, 61, 1);
      await until(socket, seen, (s) => seqs(s, poolId).includes(61));
      expect(seqs(seen, poolId)).toEqual(Array.from({ length: 51 }, (_, i) => i + 11));
    } finally {
      socket.close();
    }
    // The same over the tRPC subscription: a CONFLICT whose message and details say RESYNC_REQUIRED.
    const client = trpcFor(server.url, investor.token);
    const refused = await new Promise<{ message: string; data: unknown }>((resolve) => {
      const sub = client.pools.onEvents.subscribe(
        { poolId, lastEventId: '0' },
        {
          onError: (error) => {
            sub.unsubscribe();
            resolve({ message: error.message, data: error.data });
          },
        },
      );
    });
    expect(refused.message).toMatch(/^RESYNC_REQUIRED/);
    expect(refused.data).toMatchObject({ code: 'CONFLICT', details: { error: 'RESYNC_REQUIRED' } });
    const streamed = await new Promise<number[]>((resolve) => {
      const got: number[] = [];
      const sub = client.pools.onEvents.subscribe(
        { poolId, lastEventId: ids[19] ?? '' },
        {
          onData: ({ data }) => {
            got.push((data as Seq).data.seq ?? -1);
            if (got.length === 42) {
              sub.unsubscribe();
              resolve(got);
            }
          },
        },
      );
    });
    expect(streamed).toEqual(Array.from({ length: 42 }, (_, i) => i + 20));
  });

  it('a stream for a pool that does not exist ends with NOT_FOUND (a code the client does not retry)', async () => {
    const investor = await account();
    const client = trpcFor(server.url, investor.token);
    const refused = await new Promise<unknown>((resolve) => {
      const sub = client.pools.onEvents.subscribe(
        { poolId: 'no-such-pool' },
        {
          onError: (error) => {
            sub.unsubscribe();
            resolve(error.data);
          },
        },
      );
    });
    expect(refused).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a socket may subscribe 30 times a minute; the 31st is refused, other sockets are not affected', async () => {
    const manager = await account('MANAGER');
    const investor = await account();
    const poolId = await createPool(manager.token, 'Busy subscriber');
    const socket = await connectSocket(server.url, investor.token);
    const other = await connectSocket(server.url, investor.token);
    try {
      for (let i = 0; i < 30; i++) {
        expect(await subscribe(socket, { poolId })).toEqual({ ok: true });
      }
      const refused = await subscribe(socket, { poolId });
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatch(/^TOO_MANY_REQUESTS/);
      // A malformed payload counts too (it costs the server a parse): still refused as over the limit.
      expect((await subscribe(socket, { nope: true })).error).toMatch(/^TOO_MANY_REQUESTS/);
      expect(await subscribe(other, { poolId })).toEqual({ ok: true });
      clock.advance(61_000);
      expect(await subscribe(socket, { poolId })).toEqual({ ok: true });
    } finally {
      socket.close();
      other.close();
    }
  });

  it("replays and live delivery never carry another user's user_ events, over socket.io and SSE", async () => {
    const manager = await account('MANAGER');
    const alice = await account();
    const bob = await account();
    const poolId = await createPool(manager.token, 'Shared pool');
    const before = await appendPoolEvents(server, poolId, 0, 1);
    // Interleaved in one id range: pool events, Alice's money events (one of them even naming the pool), Bob's own.
    await eventsTransaction(server.services, async (tx) => {
      const deps = server.services;
      await appendEvent(deps, tx, { type: 'pool:update', poolId, data: { seq: 1 } });
      await appendEvent(deps, tx, { type: 'wallet:update', userId: alice.id, data: { secret: 'alice-1' } });
      await appendEvent(deps, tx, {
        type: 'investment:update',
        userId: alice.id,
        poolId,
        data: { secret: 'alice-2' },
      });
      await appendEvent(deps, tx, { type: 'wallet:update', userId: bob.id, data: { mine: 'bob-1' } });
      await appendEvent(deps, tx, { type: 'pool:update', poolId, data: { seq: 2 } });
    });
    await server.services.events.drain();

    const socket = await connectSocket(server.url, bob.token);
    const seen = record(socket);
    try {
      expect(await subscribe(socket, { poolId, lastEventId: before[0] })).toEqual({ ok: true });
      // Live: Alice's events (again one naming the pool) committed before a marker; the marker arriving proves
      // anything earlier would have arrived too.
      await eventsTransaction(server.services, async (tx) => {
        const deps = server.services;
        await appendEvent(deps, tx, { type: 'wallet:update', userId: alice.id, data: { secret: 'alice-3' } });
        await appendEvent(deps, tx, {
          type: 'investment:update',
          userId: alice.id,
          poolId,
          data: { secret: 'alice-4' },
        });
        await appendEvent(deps, tx, { type: 'pool:update', poolId, data: { seq: 3 } });
      });
      await until(socket, seen, (s) => seqs(s, poolId).includes(3));
      expect(seqs(seen, poolId)).toEqual([1, 2, 3]);
      expect(JSON.stringify(seen)).not.toContain('alice');
    } finally {
      socket.close();
    }

    // Bob's own stream from id 0 holds his event and nothing of Alice's.
    const client = trpcFor(server.url, bob.token);
    await eventsTransaction(server.services, (tx) =>
      appendEvent(server.services, tx, { type: 'wallet:update', userId: bob.id, data: { mine: 'bob-2' } }),
    );
    const mine = await new Promise<Seq[]>((resolve) => {
      const got: Seq[] = [];
      const sub = client.account.onEvents.subscribe(
        { lastEventId: '0' },
        {
          onData: ({ data }) => {
            got.push(data as Seq);
            if ((data as Seq).data && JSON.stringify(data).includes('bob-2')) {
              sub.unsubscribe();
              resolve(got);
            }
          },
        },
      );
    });
    expect(JSON.stringify(mine)).not.toContain('alice');
    expect(mine.map((e) => (e.data as { mine?: string }).mine).filter(Boolean)).toEqual(['bob-1', 'bob-2']);
    // The pool stream from id 0 holds the pool's events only.
    const poolStream = await new Promise<Seq[]>((resolve) => {
      const got: Seq[] = [];
      const sub = client.pools.onEvents.subscribe(
        { poolId, lastEventId: '0' },
        {
          onData: ({ data }) => {
            got.push(data as Seq);
            if ((data as Seq).data.seq === 3) {
              sub.unsubscribe();
              resolve(got);
            }
          },
        },
      );
    });
    expect(JSON.stringify(poolStream)).not.toContain('alice');
    expect(seqs(poolStream, poolId)).toEqual([0, 1, 2, 3]);
  });

  it('a huge replay stuck on a client that stopped reading does not hold up another pool; then it completes once, in order', async () => {
    const manager = await account('MANAGER');
    const investor = await account();
    const history = await createPool(manager.token, 'Huge history');
    const quiet = await createPool(manager.token, 'Quiet pool');
    if (suite.driver() === 'pglite') {
      // 60 MB through the in-process WASM Postgres takes minutes; the dispatcher test covers the logic there.
      return;
    }
    // ~60 MB of replay: more than the kernel's socket buffers (up to 32 MB here), so an unread socket really blocks.
    const total = 2_000;
    await appendPoolEvents(server, history, 0, total, { padding: 'x'.repeat(30_000), perTransaction: 50 });
    const big = await startTestServer(suite.getDb(), {
      clock,
      env: { RATE_LIMIT_PER_MIN: '100000', REPLAY_MAX_EVENTS: String(total + 10) },
    });
    const slow = await connectSocket(big.url, investor.token);
    const watcher = await connectSocket(big.url, investor.token);
    try {
      const slowSeen = record(slow);
      const watcherSeen = record(watcher);
      expect(await subscribe(watcher, { poolId: quiet })).toEqual({ ok: true });
      const firstArrived = until(slow, slowSeen, (s) => s.length > 0);
      const acked = subscribe(slow, { poolId: history, lastEventId: '0' });
      await firstArrived;
      // The client stops reading: the server's writes back up and the replay waits for the connection to drain.
      const raw = (
        slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }
      ).ws._socket;
      raw.pause();
      await appendPoolEvents(big, quiet, 0, 1);
      await until(watcher, watcherSeen, (s) => seqs(s, quiet).includes(0));
      // The quiet pool's event was delivered while the replay is still in progress: the slow socket has not
      // joined the history room yet (it joins only when its replay is done).
      const room = big.io.of('/').adapter.rooms.get(`pool_${history}`);
      expect(room?.has(slow.id ?? '') ?? false).toBe(false);
      raw.resume();
      expect(await acked).toEqual({ ok: true });
      await appendPoolEvents(big, history, total, 1);
      await until(slow, slowSeen, (s) => seqs(s, history).includes(total));
      expect(seqs(slowSeen, history)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    } finally {
      slow.close();
      watcher.close();
      await big.close();
    }
  }, 120_000);
});

describeEachDialect(
  'several server processes on one Postgres',
  (suite) => {
    const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
    let a: TestServer;
    let b: TestServer;
    let second: Database;
    const real = () => suite.driver() === 'postgres';

    beforeAll(async () => {
      if (!real()) {
        return;
      }
      // Two servers with their own connection pools, as two processes would have; polling is off (an hour), so
      // only LISTEN/NOTIFY can carry events and revocations between them.
      second = await createDatabase(suite.getUrl() ?? '');
      const env = { RATE_LIMIT_PER_MIN: '100000' };
      a = await startTestServer(suite.getDb(), { clock, env, eventPollMs: HOUR });
      b = await startTestServer(second, { clock, env, eventPollMs: HOUR });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await second?.close();
    });

    const account = (server: TestServer, name: string, role: 'INVESTOR' | 'MANAGER' = 'INVESTOR') =>
      testAccount(server.url, suite.getDb(), `${name}@example.com`, role);

    it('a logout on server A closes that user\u2019s socket and stream on server B at once', async () => {
      if (!real()) {
        return;
      }
      const user = await account(a, 'leaving');
      const socket = await connectSocket(b.url, user.token);
      const revoked = new Promise<{ reason: string }>((resolve) => socket.once('session:revoked', resolve));
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const response = await fetch(`${b.url}/trpc/account.onEvents`, {
        headers: { accept: 'text/event-stream', cookie: `tp_access=${user.token}` },
      });
      const reader = response.body?.getReader();
      if (!reader) {
        throw new Error('no stream');
      }
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: connected');
      const out = await call(a.url, 'POST', '/api/v1/auth/logout', {
        token: user.token,
        body: { refreshToken: user.refreshToken },
      });
      expect(out.status).toBe(204);
      expect((await revoked).reason).toBe('logout');
      expect(await closed).toBe('io server disconnect');
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

    it('a client that reconnects to another process resumes from its last id with nothing lost or repeated', async () => {
      if (!real()) {
        return;
      }
      const manager = await account(a, 'resume-manager', 'MANAGER');
      const investor = await account(a, 'resume-investor');
      const poolId = await testPool(a.url, manager.token, 'Roaming', { now: clock.now() });
      // Writers on both processes, one event per commit, numbered in commit order by each writer's turn.
      let next = 0;
      const write = async (server: TestServer, count: number) => {
        for (let i = 0; i < count; i++) {
          const seq = next++;
          await eventsTransaction(server.services, (tx) =>
            appendEvent(server.services, tx, { type: 'pool:update', poolId, data: { seq } }),
          );
        }
      };
      const first = await connectSocket(a.url, investor.token);
      const firstSeen = record(first);
      expect(await subscribe(first, { poolId })).toEqual({ ok: true });
      await Promise.all([write(a, 10), write(b, 10)]);
      await until(first, firstSeen, (s) => seqs(s, poolId).length === 20);
      first.close();
      // While nobody is connected, more is written on both.
      await Promise.all([write(b, 15), write(a, 5)]);
      const lastId = firstSeen.at(-1)?.id ?? '';
      const resumed = await connectSocket(b.url, investor.token);
      const resumedSeen = record(resumed);
      expect(await subscribe(resumed, { poolId, lastEventId: lastId })).toEqual({ ok: true });
      await Promise.all([write(a, 10), write(b, 10)]);
      await until(resumed, resumedSeen, (s) => seqs(s, poolId).length === 40);
      resumed.close();
      const all = [...firstSeen, ...resumedSeen].filter(
        (e) => e.poolId === poolId && e.type === 'pool:update',
      );
      const ids = all.map((e) => BigInt(e.id));
      expect(new Set(ids).size).toBe(60);
      expect([...ids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(ids);
      expect(all.map((e) => e.data.seq).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
        Array.from({ length: 60 }, (_, i) => i),
      );
    });
  },
  { dialects: ['postgres'] },
);
