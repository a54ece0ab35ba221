// HTTP load from its own process with autocannon: a warm-up run that is thrown away, then the measured run.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { serveCommands } from './child';
import { signedDelivery } from './harness';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sign a fresh webhook delivery (new id, timestamp, signature) for this pool on every request. */
  webhookPoolId?: string;
  /**
   * Like `webhookPoolId`, but each request is signed for the next pool of this list in turn. Deliveries for one pool
   * serialise on that pool's row (the heartbeat update in ingest), so a single pool measures that lock, not how ingest
   * scales over processes; the scale-out bench posts for many pools, as many models do.
   */
  webhookPoolIds?: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /**
   * Requests per second over all connections; unset = as fast as the server answers. Alone, this is autocannon's own
   * rate limit, which is not a steady rate: see `paced`.
   */
  overallRate?: number;
  /** Offer `overallRate` evenly paced over `connections` (see `runPaced`) instead of autocannon's per-second bucket. */
  paced?: boolean;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  maxMs: number;
  /** With `paced`: how the load was offered and how evenly it went out. */
  pacing?: Pacing;
}

export interface Pacing {
  driver: string;
  /** Requests sent per second over the span from the first send to the last. */
  offeredPerSecond: number;
  /** Gaps between consecutive sends (all instances together); even pacing at 200/s is 5 ms each. */
  sendGapP50ms: number;
  sendGapP99ms: number;
  /** The most requests ever in flight at once (sent, not yet answered). */
  maxInFlight: number;
  /** Ticks that found their connection's previous request still unanswered (that request went out late). */
  lateSends: number;
}

async function run(options: LoadOptions, seconds: number): Promise<autocannon.Result> {
  const poolIds = options.webhookPoolIds ?? (options.webhookPoolId ? [options.webhookPoolId] : []);
  let next = 0;
  return autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    connections: options.connections,
    duration: seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    ...(poolIds.length > 0
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (request: autocannon.Request) => {
                const delivery = signedDelivery(poolIds[next++ % poolIds.length] ?? '');
                return { ...request, method: 'POST', headers: delivery.headers, body: delivery.body };
              },
            },
          ],
        }
      : {}),
  });
}

/** The value below which a share `q` of the sorted `values` lie (nearest rank). */
function quantile(sorted: number[], q: number): number {
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The parts of autocannon 9.0.0's Client (lib/httpClient.js) that its per-connection rate tick uses (lines 44-45, 67-72, 157-176). */
interface RateLimitedClient extends autocannon.Client {
  rate: number;
  reqsMadeThisSecond: number;
  paused: boolean;
  rateInterval: ReturnType<typeof setInterval>;
  conn: Socket;
  _doRequest(): void;
}

/**
 * `overallRate` requests/s offered at an even pace, from one autocannon instance.
 *
 * autocannon's own rate limit is a per-second bucket, not a pace: each connection writes its quota for the second back
 * to back (each request as soon as the previous one is answered), then pauses until a `setInterval(…, 1000)` of its
 * own resets its count (autocannon 9.0.0 lib/httpClient.js lines 67-72, and the check in `_doRequest`, line 158), and
 * `overallRate` is only divided among the connections (lib/run.js lines 201-203). So 200/s over 10 connections is a burst
 * of 200 requests, 10 at a time, at the top of every second, then silence: a request's latency is mostly its wait
 * behind the burst. Its coordinated-omission correction (lib/run.js line 244) then adds made-up samples every
 * `ceil(1 / rate)` ms (1 ms at 20/s per connection) below each real one.
 *
 * Separate instances of one connection each, started a few ms apart so that their seconds interleave, do not pace
 * either: creating an instance blocks the event loop for 3-40 ms (so the starts bunch up), and each `setInterval`
 * is re-armed from the loop's time when it ran, so connections whose ticks ran in the same turn of the loop stay
 * together and the ticks merge into bursts over a run (measured: with 200 such instances at 1/s, a median gap of 2.3
 * ms between sends instead of 5, and up to 17 requests in flight at once).
 *
 * Here each connection has a bucket of one request (`connectionRate: 1`), its own `setInterval` is cleared, and this
 * function runs the same tick body (reset the count; if paused, send) for connection k % connections at `start + k /
 * overallRate` exactly, from one timer chain against the clock, so the n-th request of the run is written at n /
 * overallRate s whatever happened before. A connection whose previous request is still unanswered at its tick sends
 * as soon as that answer arrives, as autocannon's tick does; such late sends are counted. Latency is each request's
 * own (autocannon's `responseTime`: written to answered, from the 'response' events).
 */
async function runPaced(options: LoadOptions, seconds: number): Promise<LoadResult> {
  const rate = options.overallRate ?? 0;
  const total = Math.round(rate * seconds);
  const clients: RateLimitedClient[] = [];
  const latencies: number[] = [];
  const sends: number[] = [];
  let sent = 0;
  let settled = 0;
  let onSettled: () => void = () => undefined;
  const settle = () => {
    settled++;
    onSettled();
  };
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        method: options.method ?? 'GET',
        headers: options.headers,
        connections: options.connections,
        connectionRate: 1,
        // A backstop only: the run is stopped once the last scheduled request is answered.
        duration: seconds + 60,
        ignoreCoordinatedOmission: true,
        setupClient: (client) => {
          const c = client as RateLimitedClient;
          // Runs in the constructor before its first `_doRequest`: the bucket starts empty, so it waits for a tick.
          c.reqsMadeThisSecond = c.rate;
          // Emitted for every request written (lib/httpClient.js line 162); untyped in @types/autocannon.
          (c as NodeJS.EventEmitter).on('request', () => {
            sent++;
          });
          clients.push(c);
        },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  if (!instance) {
    throw new Error('autocannon did not start');
  }
  instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
    sends.push(performance.now() - responseTime);
    latencies.push(responseTime);
    settle();
  });
  instance.on('reqError', settle);
  for (const client of clients) {
    clearInterval(client.rateInterval);
  }
  // Every connection open before the first request, so no request's latency includes a TCP handshake.
  await Promise.all(clients.map((c) => (c.conn.connecting ? once(c.conn, 'connect') : undefined)));

  let late = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    let k = 0;
    const tick = () => {
      const now = performance.now();
      for (; k < total && start + (k * 1000) / rate <= now; k++) {
        const client = clients[k % clients.length];
        if (!client) {
          continue;
        }
        if (!client.paused) {
          late++;
        }
        client.reqsMadeThisSecond = 0;
        if (client.paused) {
          client._doRequest();
        }
        client.paused = false;
      }
      if (k < total) {
        setTimeout(tick, Math.max(0, start + (k * 1000) / rate - performance.now()));
      } else {
        done();
      }
    };
    tick();
  });
  await new Promise<void>((done) => {
    onSettled = () => {
      if (settled >= sent) {
        done();
      }
    };
    onSettled();
  });
  instance.stop();
  const result = await finished;

  const ends = sends.map((s, i) => s + (latencies[i] ?? 0)).sort((a, b) => a - b);
  sends.sort((a, b) => a - b);
  const gaps = sends
    .slice(1)
    .map((s, i) => s - (sends[i] ?? 0))
    .sort((a, b) => a - b);
  let maxInFlight = 0;
  for (let s = 0, e = 0, inFlight = 0; s < sends.length; s++) {
    for (; e < ends.length && (ends[e] ?? 0) <= (sends[s] ?? 0); e++) {
      inFlight--;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
  }
  const spanSeconds = ((sends.at(-1) ?? 0) - (sends[0] ?? 0)) / 1000;
  const perSecond = (n: number) => (spanSeconds > 0 ? Math.round((n - 1) / spanSeconds) : n);
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: perSecond(result['2xx']),
    requests: latencies.length,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    p50ms: round1(quantile(latencies, 0.5)),
    p90ms: round1(quantile(latencies, 0.9)),
    p99ms: round1(quantile(latencies, 0.99)),
    maxMs: round1(latencies.at(-1) ?? 0),
    pacing: {
      driver: `paced: autocannon, ${clients.length} connections, request n written at n/${rate} s (connection n mod ${clients.length})`,
      offeredPerSecond: perSecond(sends.length),
      sendGapP50ms: round1(quantile(gaps, 0.5)),
      sendGapP99ms: round1(quantile(gaps, 0.99)),
      maxInFlight,
      lateSends: late,
    },
  };
}

serveCommands({
  /** Runs the warm-up alone (its figures are discarded). */
  warmup: async (options: LoadOptions) => {
    await (options.paced ? runPaced(options, options.warmupSeconds) : run(options, options.warmupSeconds));
  },
  /** The measured run (after a `warmup` call). */
  load: async (options: LoadOptions): Promise<LoadResult> => {
    if (options.paced) {
      return runPaced(options, options.seconds);
    }
    const result = await run(options, options.seconds);
    return {
      requestsPerSecond: Math.round(result['2xx'] / (result.duration || options.seconds)),
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      p50ms: result.latency.p50,
      p90ms: result.latency.p90,
      p99ms: result.latency.p99,
      maxMs: result.latency.max,
    };
  },
});
