import { type Child, spawnChild } from './child';
import type { Verdict } from './clients-process';
import { signedDelivery } from './harness';

/**
 * Posts `events` webhook deliveries at a fixed rate from this process, each carrying its sequence and send time
 * (stamped just before its POST). Open loop: delivery k is sent at start + k / rate whether or not the earlier ones
 * were answered, with at most `inFlight` unanswered (1: one at a time, as a model that waits for each answer), so a
 * server that keeps up with the rate is posted at that rate even when each answer takes longer than the interval.
 * The order clients must see is the server's (event ids), not the sequence numbers. The rate achieved (deliveries /
 * time to the last answer) is reported beside the target.
 */
export async function postEvents(
  url: string,
  poolId: string,
  events: number,
  perSecond: number,
  inFlight = 1,
) {
  const started = Date.now();
  let failures = 0;
  const pending = new Set<Promise<void>>();
  const post = async (seq: number) => {
    const delivery = signedDelivery(poolId, 'pool_update', {
      message: 'tick',
      metrics: { seq, sentAt: Date.now() },
    });
    const res = await fetch(`${url}/api/v1/webhook/model`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    await res.arrayBuffer();
    if (res.status >= 300) {
      failures++;
    }
  };
  for (let seq = 0; seq < events; seq++) {
    const wait = started + (seq * 1000) / perSecond - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    while (pending.size >= inFlight) {
      await Promise.race(pending);
    }
    const sent: Promise<void> = post(seq).finally(() => pending.delete(sent));
    pending.add(sent);
  }
  await Promise.all(pending);
  const elapsed = Math.max(Date.now() - started, (events * 1000) / perSecond);
  return { failures, postedPerSecond: Math.round((events * 1000) / elapsed) };
}

/** Deliveries the fan-out bench may have unanswered at once: enough to hold 100/s with answers up to 0.3 s. */
const IN_FLIGHT = 32;

/**
 * Fan-out: socket.io and SSE subscribers on one pool while the model posts events at a fixed rate through the
 * webhook; delivery latency (post → client) and completeness, beside a bare socket.io server (and bare node:http SSE)
 * broadcasting the same payloads at the same rate to the same client processes. Server and clients each run in their
 * own process (socket.io clients in one, SSE clients in another); the poster is this process.
 */
export async function benchFanout(options: {
  sockets: number;
  streams: number;
  eventsPerSecond: number;
  seconds: number;
  warmupEvents: number;
}) {
  const events = options.eventsPerSecond * options.seconds;
  const timeoutMs = 120_000;
  const ioClients = spawnChild('clients-process.ts');
  const sseClients = spawnChild('clients-process.ts');
  const children: Child[] = [ioClients, sseClients];
  try {
    await Promise.all([ioClients.ready, sseClients.ready]);

    // Baseline first: the same client processes against bare socket.io + bare SSE.
    const bare = spawnChild('bare-process.ts');
    children.push(bare);
    let baseline: { socketio: Verdict; sse: Verdict; rssMb: number; peakRssMb: number; idleRssMb: number };
    {
      await bare.ready;
      const url = await bare.call<string>('startIo');
      const idle = await bare.call<{ rssMb: number }>('rss');
      const poolId = 'bare-pool';
      await ioClients.call('socketio', { url, count: options.sockets, poolId });
      await sseClients.call('sse', { url: `${url}/sse`, count: options.streams });
      await bare.call('emit', { poolId, events: options.warmupEvents, perSecond: options.eventsPerSecond });
      await Promise.all([
        ioClients.call('verdict', { events: options.warmupEvents, timeoutMs }),
        sseClients.call('verdict', { events: options.warmupEvents, timeoutMs }),
      ]);
      await bare.call('resetPeakRss');
      await bare.call('emit', { poolId, events, perSecond: options.eventsPerSecond });
      const [socketio, sse] = await Promise.all([
        ioClients.call<Verdict>('verdict', { events, timeoutMs }),
        sseClients.call<Verdict>('verdict', { events, timeoutMs }),
      ]);
      const rss = await bare.call<{ rssMb: number; peakRssMb: number }>('rss');
      baseline = { socketio, sse, ...rss, idleRssMb: idle.rssMb };
      await Promise.all([ioClients.call('close'), sseClients.call('close')]);
      await bare.stop();
    }

    const server = spawnChild('server-process.ts', { profileAs: 'fanout' });
    children.push(server);
    await server.ready;
    const [url, dialect, poolId, token] = await Promise.all([
      server.call<string>('url'),
      server.call<string>('dialect'),
      server.call<string>('activePool'),
      server.call<string>('investor'),
    ]);
    const serverIdle = await server.call<{ rssMb: number }>('rss');
    await ioClients.call('socketio', { url, count: options.sockets, poolId, token });
    const input = encodeURIComponent(JSON.stringify({ poolId }));
    await sseClients.call('sse', {
      url: `${url}/trpc/pools.onEvents?input=${input}`,
      count: options.streams,
      cookie: `tp_access=${token}`,
    });
    await server.call('drain');
    await postEvents(url, poolId, options.warmupEvents, options.eventsPerSecond, IN_FLIGHT);
    await Promise.all([
      ioClients.call('verdict', { events: options.warmupEvents, timeoutMs }),
      sseClients.call('verdict', { events: options.warmupEvents, timeoutMs }),
    ]);
    await server.call('resetPeakRss');
    await server.call('profileStart');
    const { failures, postedPerSecond } = await postEvents(
      url,
      poolId,
      events,
      options.eventsPerSecond,
      IN_FLIGHT,
    );
    const [socketio, sse] = await Promise.all([
      ioClients.call<Verdict>('verdict', { events, timeoutMs }),
      sseClients.call<Verdict>('verdict', { events, timeoutMs }),
    ]);
    await server.call('profileStop', { name: 'fanout' });
    const rss = await server.call<{ rssMb: number; peakRssMb: number }>('rss');
    const complete =
      failures === 0 && socketio.everyEvent === socketio.clients && sse.everyEvent === sse.clients;
    // Latencies compare only when both sides carried the same rate: a webhook slower than the rate lowers ours.
    const rateHeld = postedPerSecond >= 0.9 * options.eventsPerSecond;
    const p99Ratio = Math.max(socketio.p99ms, sse.p99ms) / Math.max(1, baseline.socketio.p99ms);
    const rssRatio = rss.peakRssMb / baseline.peakRssMb;
    return {
      name: 'fan-out',
      dialect,
      eventsPerSecond: options.eventsPerSecond,
      events,
      webhookFailures: failures,
      postedPerSecond,
      rateHeld,
      socketio,
      sse,
      serverRssMb: rss.rssMb,
      serverPeakRssMb: rss.peakRssMb,
      serverIdleRssMb: serverIdle.rssMb,
      baseline: {
        what: 'bare socket.io (and bare node:http SSE) broadcasting the same payloads to the same client processes',
        ...baseline,
      },
      p99Ratio: Math.round(p99Ratio * 100) / 100,
      rssRatio: Math.round(rssRatio * 100) / 100,
      target: 'every client every event in order; p99 ≤ 1.5 × bare socket.io p99; peak RSS ≤ 1.3 × bare',
      met: complete && rateHeld && p99Ratio <= 1.5 && rssRatio <= 1.3,
    };
  } finally {
    for (const child of children.reverse()) {
      await child.stop().catch(() => undefined);
    }
  }
}
