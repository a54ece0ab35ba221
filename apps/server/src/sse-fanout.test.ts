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
async function openStream(url: string, token: string, poolId: string, lastEventId: string) {
  const response = await fetch(
    `${url}/trpc/pools.onEvents?input=${encodeURIComponent(JSON.stringify({ poolId }))}`,
    {
      headers: { accept: 'text/event-stream', cookie: `tp_access=${token}`, 'last-event-id': lastEventId },
    },
  );
  const reader = response.body?.getReader();
  if (!reader) {
    throw new Error('no stream');
  }
  const decoder = new TextDecoder();
  let text = '';
  const frames = () => text.split('\n\n\n').filter((frame) => frame.startsWith('data: '));
  return {
    response,
    /** The data frames so far (pings and `connected` left out), once there are at least `count`. */
    async frames(count: number): Promise<string[]> {
      while (frames().length < count) {
        const chunk = await reader.read();
        if (chunk.done) {
          throw new Error(`stream ended after ${frames().length} of ${count} frames`);
        }
        text += decoder.decode(chunk.value, { stream: true });
      }
      return frames();
    },
    close: () => reader.cancel(),
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
    server = await startTestServer(suite.getDb(), { env: { RATE_LIMIT_PER_MIN: '100000' } });
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
  async function append(from: number, count: number): Promise<string[]> {
    const { events } = server.services.database.schema;
    const ids: string[] = [];
    for (let seq = from; seq < from + count; seq++) {
      await eventsTransaction(server.services, async (tx) => {
        const [row] = await tx
          .insert(events)
          .values({ type: 'pool:update', poolId, payload: { seq }, at: new Date() })
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
});
