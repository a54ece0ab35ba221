import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { activePool, round, signedDelivery, startBenchServer, throughput } from './harness';

/**
 * Webhook ingest: signed, verified, stored (trade + event + dedup key + delivery log, one transaction, durable) and
 * broadcast, per second; beside a bare node:http handler that answers 200 to the same requests.
 */
export async function benchIngest(options: { durationMs: number; concurrency: number }) {
  const post = async (url: string, delivery: ReturnType<typeof signedDelivery>) => {
    const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    await res.arrayBuffer();
    if (res.status >= 300) {
      throw new Error(`unexpected ${res.status}`);
    }
  };

  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const baseline = await throughput(options.durationMs, options.concurrency, () =>
    post(bareUrl, signedDelivery('x')),
  );
  await new Promise<void>((resolve) => bare.close(() => resolve()));

  const bench = await startBenchServer();
  try {
    const { poolId } = await activePool(bench.services);
    const url = `${bench.url}/api/v1/webhook/model`;
    await throughput(1_000, options.concurrency, () => post(url, signedDelivery(poolId)));
    const measured = await throughput(options.durationMs, options.concurrency, () =>
      post(url, signedDelivery(poolId)),
    );
    await bench.services.events.drain();
    return {
      name: 'webhook-ingest',
      dialect: bench.database.dialect,
      concurrency: options.concurrency,
      eventsPerSecond: round(measured.perSecond, 0),
      events: measured.total,
      baselinePerSecond: round(baseline.perSecond, 0),
      baseline: 'bare node:http 200 handler, same client',
      ratioToBaseline: round(measured.perSecond / baseline.perSecond, 3),
    };
  } finally {
    await bench.close();
  }
}
