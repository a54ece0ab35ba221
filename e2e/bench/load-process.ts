// HTTP load from its own process with autocannon: a warm-up run that is thrown away, then the measured run.
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
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
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

serveCommands({
  /** Runs the warm-up alone (its figures are discarded). */
  warmup: async (options: LoadOptions) => {
    await run(options, options.warmupSeconds);
  },
  /** The measured run (after a `warmup` call). */
  load: async (options: LoadOptions): Promise<LoadResult> => {
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
