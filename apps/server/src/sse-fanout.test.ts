import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { eventsTransaction, latestEventId } from '@tradepool/api/server';
import { describeEachDialect } from '@tradepool/db/testing';
import { tracked } from '@trpc/server';
import { sseStreamProducer } from '@trpc/server/unstable-core-do-not-import';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseFrame } from './sse-fanout';
import { startTestServer, type TestServer, testAccount, testPool } from './test-support';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
  }
  return text;
}

describe('SSE frames', () => {
  const client = { reconnectAfterInactivityMs: 30_000 };
  const event = {
    id: '42',
    type: 'pool:update',
    poolId: 'p1',
    at: '2026-11-24T12:00:00.000Z',
    data: { seq: 1 },
  };

  it("are byte for byte what @trpc/server's SSE producer writes: connected, tracked data, return", async () => {
    const theirs = await readAll(
      sseStreamProducer({
        data: (async function* () {
          yield tracked(event.id, event);
        })(),
        client,
      }),
    );
    const ours =
      sseFrame({ event: 'connected', data: JSON.stringify(client) }) +
      sseFrame({ data: JSON.stringify(event), id: event.id }) +
      sseFrame({ event: 'return', data: '' });
    expect(ours).toBe(theirs);
  });

  it('and for a refusal: connected, then serialized-error', async () => {
    const shape = { message: 'RESYNC_REQUIRED', code: -32009, data: { code: 'CONFLICT' } };
    const theirs = await readAll(
      sseStreamProducer({
        data: (async function* () {
          yield* [];
          throw new Error('refused');
        })(),
        client,
        formatError: () => shape,
      }),
    );
    const ours =
      sseFrame({ event: 'connected', data: JSON.stringify(client) }) +
      sseFrame({ event: 'serialized-error', data: JSON.stringify(shape) });
    expect(ours).toBe(theirs);
  });
});

/** A raw `text/event-stream` response read as text, frame by frame. */
async function openStream(
  url: string,
  token: string,
  poolId: string,
  lastEventId: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(
    `${url}/trpc/pools.onEvents?input=${encodeURIComponent(JSON.stringify({ poolId }))}`,
    {
      headers: {
        accept: 'text/event-stream',
        cookie: `tp_access=${token}`,
        'last-event-id': lastEventId,
        ...headers,
      },
    },
  );
  const reader = response.body?.getReader();
  if (!reader) {
    throw new Error('no stream');
  }
  const decoder = new TextDecoder();
  // Complete frames only: a chunk may end inside one.
  const frames: string[] = [];
  let rest = '';
  return {
    response,
    /** The data frames so far (pings and `connected` left out), once there are at least `count`. */
    async frames(count: number): Promise<string[]> {
      while (frames.length < count) {
        const chunk = await reader.read();
        if (chunk.done) {
          throw new Error(`stream ended after ${frames.length} of ${count} frames`);
        }
        const parts = (rest + decoder.decode(chunk.value, { stream: true })).split('\n\n\n');
        rest = parts.pop() ?? '';
        frames.push(...parts.filter((frame) => frame.startsWith('data: ')));
      }
      return [...frames];
    },
    close: () => reader.cancel(),
  };
}

/**
 * A subscriber on a raw socket that sends its request and then reads nothing (a client that stopped reading: what
 * the server writes piles up in the kernel's buffers, then in the response), until `readToEnd`.
 */
function stalledStream(url: string, token: string, poolId: string, lastEventId: string) {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.pause();
  const input = encodeURIComponent(JSON.stringify({ poolId }));
  socket.write(
    [
      `GET /trpc/pools.onEvents?input=${input} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Accept: text/event-stream',
      `Cookie: tp_access=${token}`,
      `Last-Event-ID: ${lastEventId}`,
      'X-Stalled: yes',
      '',
      '',
    ].join('\r\n'),
  );
  return {
    /** Reads what the server sent until the connection ends: the status line and the de-chunked body. */
    async readToEnd(): Promise<{ status: string; body: string }> {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.on('error', () => undefined);
        socket.resume();
      });
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      const status = raw.subarray(0, raw.indexOf('\r\n')).toString();
      // Chunked transfer coding: `<hex size>\r\n<data>\r\n`, cut off wherever the server dropped the connection.
      const body: Buffer[] = [];
      let at = headEnd + 4;
      for (;;) {
        const lineEnd = raw.indexOf('\r\n', at);
        const size = lineEnd < 0 ? 0 : Number.parseInt(raw.subarray(at, lineEnd).toString(), 16);
        if (!(size > 0) || lineEnd + 2 + size > raw.length) {
          break;
        }
        body.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return { status, body: Buffer.concat(body).toString() };
    },
    close: () => socket.destroy(),
  };
}

function seqOf(frame: string): number {
  const data = JSON.parse(frame.slice('data: '.length, frame.indexOf('\n'))) as { data: { seq?: number } };
  return data.data.seq ?? -1;
}

function idOf(frame: string): number {
  return Number(/\nid: (\d+)$/.exec(frame)?.[1]);
}

describeEachDialect('SSE fan-out', (suite) => {
  let server: TestServer;
  let token: string;
  let poolId: string;

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), {
      env: { RATE_LIMIT_PER_MIN: '100000', CORS_ORIGINS: 'http://allowed.example' },
    });
    const manager = await testAccount(
      server.url,
      suite.getDb(),
      `fanout-${suite.dialect}@example.com`,
      'MANAGER',
    );
    token = manager.token;
    poolId = await testPool(server.url, token, 'Fanned out');
  });
  afterAll(async () => {
    await server?.close();
  });

  /** One pool event `{seq}` per transaction, so each commit wakes a dispatch of its own; returns the ids. */
  async function append(from: number, count: number, pad?: string): Promise<string[]> {
    const { events } = server.services.database.schema;
    const ids: string[] = [];
    for (let seq = from; seq < from + count; seq++) {
      await eventsTransaction(server.services, async (tx) => {
        const [row] = await tx
          .insert(events)
          .values({ type: 'pool:update', poolId, payload: pad ? { seq, pad } : { seq }, at: new Date() })
          .returning({ id: events.id });
        ids.push(String(row?.id));
      });
    }
    return ids;
  }

  it('twenty subscribers of a pool get the same bytes: every event once, in id order', async () => {
    const since = String(await latestEventId(server.services.database));
    const streams = await Promise.all(
      Array.from({ length: 20 }, () => openStream(server.url, token, poolId, since)),
    );
    try {
      expect(streams[0]?.response.headers.get('content-type')).toBe('text/event-stream');
      const ids = await append(0, 30);
      const received = await Promise.all(streams.map((stream) => stream.frames(30)));
      const first = received[0] ?? [];
      expect(first.map(seqOf)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(first.map(idOf)).toEqual(ids.map(Number));
      for (const frames of received) {
        expect(frames.join('\n\n\n')).toBe(first.join('\n\n\n'));
      }
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it('events committed together (one dispatch pass, written corked) reach every subscriber whole, in order, as valid chunks', async () => {
    // fetch's HTTP parser refuses a body whose chunk size lines do not match what follows them.
    const since = String(await latestEventId(server.services.database));
    const streams = await Promise.all(
      Array.from({ length: 5 }, () => openStream(server.url, token, poolId, since)),
    );
    try {
      const { events } = server.services.database.schema;
      const ids = await eventsTransaction(server.services, async (tx) => {
        const rows = await tx
          .insert(events)
          .values(
            Array.from({ length: 40 }, (_, seq) => ({
              type: 'pool:update',
              poolId,
              payload: { seq: 500 + seq },
              at: new Date(),
            })),
          )
          .returning({ id: events.id });
        return rows.map((row) => String(row.id));
      });
      const received = await Promise.all(streams.map((stream) => stream.frames(40)));
      const first = received[0] ?? [];
      expect(first.map(seqOf)).toEqual(Array.from({ length: 40 }, (_, i) => 500 + i));
      expect(first.map(idOf)).toEqual(ids.map(Number).sort((a, b) => a - b));
      for (const frames of received) {
        expect(frames).toEqual(first);
      }
    } finally {
      await Promise.all(streams.map((stream) => stream.close()));
    }
  });

  it('a subscriber joining mid-stream with Last-Event-ID gets exactly what followed, while events keep coming', async () => {
    const since = String(await latestEventId(server.services.database));
    const early = await openStream(server.url, token, poolId, since);
    let late: Awaited<ReturnType<typeof openStream>> | null = null;
    try {
      const firstIds = await append(100, 20);
      // Appends continue while the late subscriber replays from the 10th event and joins the live feed.
      const more = append(120, 40);
      late = await openStream(server.url, token, poolId, firstIds[9] ?? '');
      await more;
      const all = await early.frames(60);
      const resumed = await late.frames(50);
      expect(all.map(seqOf)).toEqual(Array.from({ length: 60 }, (_, i) => 100 + i));
      expect(resumed.map(seqOf)).toEqual(Array.from({ length: 50 }, (_, i) => 110 + i));
      // The same frames as the subscriber that was there all along.
      expect(resumed).toEqual(all.slice(10));
    } finally {
      await early.close();
      await late?.close();
    }
  });

  it('a subscriber that stops reading is cut once 4 MiB wait for it, the others miss nothing, and it resumes by id', async () => {
    const since = String(await latestEventId(server.services.database));
    const healthy = await openStream(server.url, token, poolId, since);
    // The server's response to the stalled client, to watch what is queued for it.
    let capture: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
    const arrived = new Promise<ServerResponse>((resolve) => {
      capture = (req, res) => {
        if (req.headers['x-stalled']) {
          resolve(res);
        }
      };
    });
    server.http.on('request', capture);
    const stalled = stalledStream(server.url, token, poolId, since);
    let resumed: Awaited<ReturnType<typeof openStream>> | null = null;
    try {
      const limit = 4 * 1024 * 1024;
      // Large events fill the kernel's socket buffers in a few hundred events; one frame is the pad and ~200 bytes.
      const pad = 'x'.repeat(64 * 1024);
      const frameMax = pad.length + 1024;
      const stalledRes = await arrived;
      const streamsBefore = (await server.services.metrics.summary()).realtime.streams;
      let posted = 0;
      let mostQueued = 0;
      // One event at a time, each seen by the healthy subscriber (so written to every subscriber) before the next.
      while (!stalledRes.destroyed) {
        if (posted >= 2_000) {
          throw new Error(`the stalled subscriber was never cut (${mostQueued} bytes queued for it)`);
        }
        await append(posted, 1, pad);
        posted++;
        await healthy.frames(posted);
        if (!stalledRes.destroyed) {
          mostQueued = Math.max(mostQueued, stalledRes.writableLength);
        }
      }
      // The queue grew to the limit (the client really stopped reading) and never past it by more than one frame.
      expect(mostQueued).toBeGreaterThan(limit - frameMax);
      expect(mostQueued).toBeLessThanOrEqual(limit + frameMax);
      await new Promise((resolve) => (stalledRes.closed ? resolve(null) : stalledRes.once('close', resolve)));
      expect((await server.services.metrics.summary()).realtime.streams).toBe(streamsBefore - 1);

      // The healthy subscriber keeps getting everything, in order, after the cut too.
      await append(posted, 5);
      const all = await healthy.frames(posted + 5);
      expect(all.map(seqOf)).toEqual(Array.from({ length: posted + 5 }, (_, i) => i));

      // What the stalled client got before the cut: the first events in order, then no `return` (it was dropped).
      const { status, body } = await stalled.readToEnd();
      expect(status).toBe('HTTP/1.1 200 OK');
      expect(body.startsWith('event: connected\n')).toBe(true);
      expect(body).not.toContain('event: return');
      const got = body
        .split('\n\n\n')
        .slice(0, -1)
        .filter((frame) => frame.startsWith('data: '));
      expect(got.length).toBeLessThan(posted);
      expect(got).toEqual(all.slice(0, got.length));

      // Resuming from the last id it got brings exactly the rest (well within REPLAY_MAX_EVENTS: no RESYNC_REQUIRED).
      const lastSeen = got.length > 0 ? String(idOf(got.at(-1) ?? '')) : since;
      resumed = await openStream(server.url, token, poolId, lastSeen);
      const rest = await resumed.frames(all.length - got.length);
      expect(rest).toEqual(all.slice(got.length));
    } finally {
      server.http.off('request', capture);
      stalled.close();
      await healthy.close();
      await resumed?.close();
    }
  });

  it('an event stream carries the security headers of every other answer, beside CORS and the request id', async () => {
    const since = String(await latestEventId(server.services.database));
    const origin = 'http://allowed.example';
    const stream = await openStream(server.url, token, poolId, since, { origin });
    try {
      const plain = await fetch(`${server.url}/trpc/pools.list?input=${encodeURIComponent('{}')}`, {
        headers: { authorization: `Bearer ${token}`, origin },
      });
      await plain.arrayBuffer();
      expect(plain.status).toBe(200);
      // What Hono's secureHeaders sets, as configured in create-app.ts.
      const security = [
        'content-security-policy',
        'cross-origin-opener-policy',
        'cross-origin-resource-policy',
        'origin-agent-cluster',
        'referrer-policy',
        'strict-transport-security',
        'x-content-type-options',
        'x-dns-prefetch-control',
        'x-download-options',
        'x-frame-options',
        'x-permitted-cross-domain-policies',
        'x-xss-protection',
      ];
      const of = (headers: Headers) => Object.fromEntries(security.map((name) => [name, headers.get(name)]));
      expect(Object.values(of(plain.headers)).every((value) => value !== null)).toBe(true);
      expect(of(stream.response.headers)).toEqual(of(plain.headers));
      expect(stream.response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(stream.response.headers.get('x-request-id')).toMatch(/.+/);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
    } finally {
      await stream.close();
    }
  });
});
