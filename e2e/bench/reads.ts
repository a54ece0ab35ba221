import { newId } from '@tradepool/db';
import { percentile, round, startBenchServer } from './harness';

async function latencies(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        await fn(i);
        samples.push(performance.now() - started);
      }
    }),
  );
  return samples.sort((a, b) => a - b);
}

/** pools.list and a portfolio query over REST with 10,000 investors and 100,000 investments in the database. */
export async function benchReads(options: { investors: number; investments: number; requests: number }) {
  const bench = await startBenchServer();
  try {
    const { users, pools, investments } = bench.database.schema;
    const now = new Date();
    const poolIds: string[] = [];
    const poolRows = Array.from({ length: 40 }, (_, i) => {
      const id = newId();
      poolIds.push(id);
      return {
        id,
        name: `Pool ${i}`,
        strategy: 'MOMENTUM_BTC' as const,
        pair: 'BTC/USDT',
        riskLevel: 'MEDIUM' as const,
        status: (['ACTIVE', 'PENDING', 'CLOSED', 'SETTLED'] as const)[i % 4],
        targetAmountCents: 1_000_000_000,
        minInvestmentCents: 100,
        startDate: now,
        endDate: new Date(now.getTime() + 86_400_000),
        settleDate: new Date(now.getTime() + 2 * 86_400_000),
        createdAt: now,
        updatedAt: now,
      };
    });
    await bench.database.transaction(async (tx) => {
      await tx.insert(pools).values(poolRows);
    });
    // Real accounts (argon2, sessions) for the users whose portfolios are read; the rest are bulk rows.
    const readers: { id: string; token: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${bench.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `reader${i}@bench.test`, password: 'bench-reader-password' }),
      });
      const body = (await res.json()) as { user: { id: string }; accessToken: string };
      readers.push({ id: body.user.id, token: body.accessToken });
    }
    const userIds = readers.map((r) => r.id);
    for (let offset = 0; offset < options.investors; offset += 1000) {
      const rows = Array.from({ length: Math.min(1000, options.investors - offset) }, (_, i) => ({
        id: newId(),
        email: `bulk${offset + i}@bench.test`,
        passwordHash: 'x',
        displayName: `Bulk ${offset + i}`,
        createdAt: now,
        updatedAt: now,
      }));
      userIds.push(...rows.map((r) => r.id));
      await bench.database.transaction(async (tx) => {
        await tx.insert(users).values(rows);
      });
    }
    for (let offset = 0; offset < options.investments; offset += 2000) {
      const rows = Array.from({ length: Math.min(2000, options.investments - offset) }, (_, i) => {
        const n = offset + i;
        return {
          id: newId(),
          userId: userIds[n % userIds.length] ?? '',
          poolId: poolIds[n % poolIds.length] ?? '',
          amountCents: 10_000,
          shares: 100_000_000,
          status: 'ACTIVE' as const,
          createdAt: now,
          updatedAt: now,
        };
      });
      await bench.database.transaction(async (tx) => {
        await tx.insert(investments).values(rows);
      });
    }
    const get = (path: string, token: string) =>
      fetch(`${bench.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
        await r.arrayBuffer();
        if (r.status !== 200) {
          throw new Error(`${path}: ${r.status}`);
        }
      });
    const token = readers[0]?.token ?? '';
    await latencies(50, 4, () => get('/api/v1/pools', token));
    const baseline = await latencies(options.requests, 8, () =>
      fetch(`${bench.url}/healthz`)
        .then((r) => r.arrayBuffer())
        .then(() => undefined),
    );
    const list = await latencies(options.requests, 8, () => get('/api/v1/pools', token));
    const portfolio = await latencies(options.requests, 8, (i) =>
      get('/api/v1/investments', readers[i % readers.length]?.token ?? ''),
    );
    const summary = (samples: number[]) => ({
      p50ms: round(percentile(samples, 50)),
      p99ms: round(percentile(samples, 99)),
    });
    return {
      name: 'reads',
      dialect: bench.database.dialect,
      investors: options.investors,
      investments: options.investments,
      requests: options.requests,
      poolsList: summary(list),
      portfolio: summary(portfolio),
      baseline: { what: 'GET /healthz on the same server', ...summary(baseline) },
    };
  } finally {
    await bench.close();
  }
}
