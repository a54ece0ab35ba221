import { runScheduledTransitions } from '@tradepool/api/server';
import { newId } from '@tradepool/db';
import { round, startBenchServer } from './harness';

/** One scheduler tick over many due pools: each walks PENDING → ACTIVE → CLOSED → SETTLING with history and events. */
export async function benchScheduler(options: { pools: number }) {
  const bench = await startBenchServer();
  try {
    const { pools } = bench.database.schema;
    const past = (h: number) => new Date(Date.now() - h * 3_600_000);
    const now = new Date();
    for (let offset = 0; offset < options.pools; offset += 1000) {
      const rows = Array.from({ length: Math.min(1000, options.pools - offset) }, (_, i) => ({
        id: newId(),
        name: `Due ${offset + i}`,
        strategy: 'SWING_ETH' as const,
        pair: 'ETH/USDT',
        riskLevel: 'LOW' as const,
        targetAmountCents: 100_000,
        minInvestmentCents: 100,
        startDate: past(3),
        endDate: past(2),
        settleDate: past(1),
        createdAt: now,
        updatedAt: now,
      }));
      await bench.database.transaction(async (tx) => {
        await tx.insert(pools).values(rows);
      });
    }
    const started = performance.now();
    const result = await runScheduledTransitions(bench.services);
    const seconds = (performance.now() - started) / 1000;
    return {
      name: 'scheduler-tick',
      dialect: bench.database.dialect,
      pools: options.pools,
      transitions: result.activated + result.closed + result.settling,
      seconds: round(seconds, 2),
      transitionsPerSecond: round((result.activated + result.closed + result.settling) / seconds, 0),
      baseline: 'none (absolute time for one tick)',
    };
  } finally {
    await bench.close();
  }
}
