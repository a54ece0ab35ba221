// Webhook load from its own process for the scaleout bench: like load-process.ts, but each request is signed for the
// next pool of a list in turn. Deliveries for one pool serialise on that pool's row (the heartbeat update in ingest),
// so a single pool measures that lock, not how ingest scales over processes; many models post for many pools.
import autocannon from 'autocannon';
import { serveCommands } from './child';
import { signedDelivery } from './harness';
import type { LoadResult } from './load-process';

export interface SpreadLoadOptions {
  url: string;
  poolIds: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

async function run(options: SpreadLoadOptions, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: autocannon.Request) => {
          const poolId = options.poolIds[next++ % options.poolIds.length] ?? '';
          const delivery = signedDelivery(poolId);
          return { ...request, method: 'POST', headers: delivery.headers, body: delivery.body };
        },
      },
    ],
  });
}

serveCommands({
  warmup: async (options: SpreadLoadOptions) => {
    await run(options, options.warmupSeconds);
  },
  load: async (options: SpreadLoadOptions): Promise<LoadResult> => {
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
