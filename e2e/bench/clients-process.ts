// Subscribers in their own process (one process for socket.io clients, another for SSE): they record, per client,
// the events they received (event id and the poster's sequence number) and each event's delivery latency (send time
// in the poster → arrival here). The order a client must see is the server's, i.e. increasing event ids: deliveries
// posted concurrently may be accepted in another order than their sequence numbers.
import { EventSource } from 'eventsource';
import { io as connect, type Socket } from 'socket.io-client';
import { serveCommands } from './child';
import { percentile, round } from './harness';

interface Metrics {
  seq: number;
  sentAt: number;
}

/** What a clients process says of its clients once they should all have `events` events. */
export interface Verdict {
  clients: number;
  /** Clients that saw every sequence number exactly once, in increasing event id order. */
  everyEvent: number;
  /** Clients whose events (however many) came in increasing event id order. */
  inOrder: number;
  /** Events received over all clients. */
  received: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
}

let latencies: number[] = [];
let received: { id: number; seq: number }[][] = [];
const sockets: Socket[] = [];
const streams: EventSource[] = [];

function record(client: number, event: { id?: string; data?: { metrics?: Metrics } }) {
  const metrics = event.data?.metrics;
  if (!metrics) {
    return;
  }
  latencies.push(Date.now() - metrics.sentAt);
  received[client]?.push({ id: Number(event.id), seq: metrics.seq });
}

async function inBatches(count: number, open: (i: number) => Promise<void>) {
  for (let start = 0; start < count; start += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - start) }, (_, i) => open(start + i)));
  }
}

serveCommands({
  /** `count` websocket clients, each subscribed to the pool (with an ack) before this answers. */
  socketio: async (args: { url: string; count: number; poolId: string; token?: string }) => {
    received = Array.from({ length: args.count }, () => []);
    await inBatches(args.count, async (i) => {
      const socket = connect(args.url, {
        transports: ['websocket'],
        reconnection: false,
        ...(args.token ? { auth: { token: `Bearer ${args.token}` } } : {}),
      });
      socket.on('pool:update', (event: { id?: string; poolId: string; data?: { metrics?: Metrics } }) => {
        if (event.poolId === args.poolId) {
          record(i, event);
        }
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await socket.timeout(30_000).emitWithAck('pool:subscribe', { poolId: args.poolId });
      sockets.push(socket);
    });
  },
  /** `count` EventSource streams on `url`, each open (its `connected` event seen) before this answers. */
  sse: async (args: { url: string; count: number; cookie?: string }) => {
    received = Array.from({ length: args.count }, () => []);
    await inBatches(args.count, async (i) => {
      const stream = new EventSource(args.url, {
        fetch: (url, init) => {
          const headers = new Headers(init?.headers);
          if (args.cookie) {
            headers.set('cookie', args.cookie);
          }
          return fetch(url, { ...init, headers });
        },
      });
      stream.onmessage = (message) => {
        record(i, JSON.parse(message.data) as { id?: string; data?: { metrics?: Metrics } });
      };
      await new Promise<void>((resolve, reject) => {
        stream.addEventListener('connected', () => resolve(), { once: true });
        stream.onerror = (error) => reject(new Error(`SSE ${error.message ?? 'error'}`));
      });
      stream.onerror = null;
      streams.push(stream);
    });
  },
  /** Waits until every client has `events` events (or `timeoutMs` passes), then the verdict; clears the records. */
  verdict: async (args: { events: number; timeoutMs: number }): Promise<Verdict> => {
    const deadline = Date.now() + args.timeoutMs;
    while (received.some((list) => list.length < args.events) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let everyEvent = 0;
    let inOrder = 0;
    for (const list of received) {
      const ordered = list.every((event, i) => i === 0 || event.id > (list[i - 1]?.id ?? -1));
      // Every sequence number 0…n-1 exactly once, in increasing id order.
      const seqs = list.map((event) => event.seq).sort((a, b) => a - b);
      if (ordered && list.length === args.events && seqs.every((seq, i) => seq === i)) {
        everyEvent++;
      }
      if (ordered) {
        inOrder++;
      }
    }
    const sorted = latencies.sort((a, b) => a - b);
    const result: Verdict = {
      clients: received.length,
      everyEvent,
      inOrder,
      received: sorted.length,
      p50ms: round(percentile(sorted, 50)),
      p99ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? 0),
    };
    latencies = [];
    received = received.map(() => []);
    return result;
  },
  close: () => {
    for (const socket of sockets.splice(0)) {
      socket.close();
    }
    for (const stream of streams.splice(0)) {
      stream.close();
    }
    received = [];
    latencies = [];
  },
});
