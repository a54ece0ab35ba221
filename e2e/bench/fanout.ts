import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestUser } from '@tradepool/api/testing';
import { EventSource } from 'eventsource';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { activePool, percentile, round, signedDelivery, startBenchServer } from './harness';

interface Collector {
  latencies: number[];
  received: Map<number, number[]>;
}

function record(collector: Collector, client: number, seq: number, sentAt: number) {
  collector.latencies.push(Date.now() - sentAt);
  const list = collector.received.get(client) ?? [];
  list.push(seq);
  collector.received.set(client, list);
}

function verdict(collector: Collector, clients: number, events: number) {
  let complete = 0;
  let inOrder = 0;
  for (let c = 0; c < clients; c++) {
    const list = collector.received.get(c) ?? [];
    if (list.length === events && new Set(list).size === events) {
      complete++;
    }
    if (list.every((seq, i) => i === 0 || seq > (list[i - 1] ?? -1))) {
      inOrder++;
    }
  }
  const sorted = [...collector.latencies].sort((a, b) => a - b);
  return {
    clients,
    everyEvent: complete,
    inOrder,
    p50ms: round(percentile(sorted, 50)),
    p99ms: round(percentile(sorted, 99)),
  };
}

async function until(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Fan-out: socket.io and SSE subscribers on one pool while the model posts events at a fixed rate through the
 * webhook; delivery latency (post → client) and completeness, beside bare socket.io broadcasting the same payloads.
 */
export async function benchFanout(options: {
  sockets: number;
  streams: number;
  eventsPerSecond: number;
  seconds: number;
}) {
  const events = options.eventsPerSecond * options.seconds;
  const bench = await startBenchServer();
  const sockets: Socket[] = [];
  const streams: EventSource[] = [];
  try {
    const { poolId } = await activePool(bench.services);
    const watcher = await createTestUser(bench.services, 'INVESTOR');
    const token = watcher.accessToken;
    const ours: Collector = { latencies: [], received: new Map() };
    for (let i = 0; i < options.sockets; i++) {
      const socket = connect(bench.url, {
        transports: ['websocket'],
        reconnection: false,
        auth: { token: `Bearer ${token}` },
      });
      socket.on(
        'pool:update',
        (event: { poolId: string; data: { metrics?: { seq: number; sentAt: number } } }) => {
          if (event.poolId === poolId && event.data.metrics) {
            record(ours, i, event.data.metrics.seq, event.data.metrics.sentAt);
          }
        },
      );
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await socket.emitWithAck('pool:subscribe', { poolId });
      sockets.push(socket);
    }
    const streamCollector: Collector = { latencies: [], received: new Map() };
    const input = encodeURIComponent(JSON.stringify({ poolId }));
    for (let i = 0; i < options.streams; i++) {
      const stream = new EventSource(`${bench.url}/trpc/pools.onEvents?input=${input}`, {
        fetch: (url, init) => {
          const headers = new Headers(init?.headers);
          headers.set('cookie', `tp_access=${token}`);
          return fetch(url, { ...init, headers });
        },
      });
      stream.onmessage = (message) => {
        const payload = JSON.parse(message.data) as { data?: { metrics?: { seq: number; sentAt: number } } };
        const metrics = payload.data?.metrics;
        if (metrics) {
          record(streamCollector, i, metrics.seq, metrics.sentAt);
        }
      };
      await new Promise<void>((resolve) =>
        stream.addEventListener('connected', () => resolve(), { once: true }),
      );
      streams.push(stream);
    }
    await bench.services.events.drain();

    for (let seq = 0; seq < events; seq++) {
      const started = Date.now();
      const delivery = signedDelivery(poolId, 'pool_update', {
        message: 'tick',
        metrics: { seq, sentAt: Date.now() },
      });
      const res = await fetch(`${bench.url}/api/v1/webhook/model`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      await res.arrayBuffer();
      const wait = 1000 / options.eventsPerSecond - (Date.now() - started);
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    const expected = options.sockets + options.streams;
    await until(
      () =>
        [...ours.received.values(), ...streamCollector.received.values()].filter((l) => l.length >= events)
          .length >= expected,
      30_000,
    );

    // Baseline: bare socket.io broadcasting the same payloads to the same number of websocket clients.
    const http = createServer();
    const bare = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const baseline: Collector = { latencies: [], received: new Map() };
    const bareClients: Socket[] = [];
    for (let i = 0; i < options.sockets; i++) {
      const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
      socket.on('pool:update', (event: { data: { metrics: { seq: number; sentAt: number } } }) =>
        record(baseline, i, event.data.metrics.seq, event.data.metrics.sentAt),
      );
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      bareClients.push(socket);
    }
    for (let seq = 0; seq < events; seq++) {
      const started = Date.now();
      bare.emit('pool:update', {
        id: String(seq),
        type: 'pool:update',
        poolId,
        at: new Date().toISOString(),
        data: { message: 'tick', metrics: { seq, sentAt: Date.now() } },
      });
      const wait = 1000 / options.eventsPerSecond - (Date.now() - started);
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    await until(
      () => [...baseline.received.values()].filter((l) => l.length >= events).length >= options.sockets,
      30_000,
    );
    for (const socket of bareClients) {
      socket.close();
    }
    await new Promise<void>((resolve) => bare.close(() => resolve()));

    return {
      name: 'fan-out',
      dialect: bench.database.dialect,
      eventsPerSecond: options.eventsPerSecond,
      events,
      socketio: verdict(ours, options.sockets, events),
      sse: verdict(streamCollector, options.streams, events),
      baseline: {
        what: 'bare socket.io broadcast, same payloads and clients',
        ...verdict(baseline, options.sockets, events),
      },
      note: 'clients run in the server process: latencies include client-side work on the same event loop',
    };
  } finally {
    for (const socket of sockets) {
      socket.close();
    }
    for (const stream of streams) {
      stream.close();
    }
    await bench.close();
  }
}
