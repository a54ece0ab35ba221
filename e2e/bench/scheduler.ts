import { spawnChild } from './child';

/**
 * One scheduler tick over `pools` due pools, each walking PENDING → ACTIVE → CLOSED → SETTLING with its history row
 * and `pool:update` event; then the announcements counted: exactly three per pool, no pool missed or repeated.
 */
export async function benchScheduler(options: { pools: number }) {
  const server = spawnChild('server-process.ts', { profileAs: 'scheduler' });
  try {
    await server.ready;
    const dialect = await server.call<string>('dialect');
    await server.call('seedDuePools', { pools: options.pools });
    await server.call('profileStart');
    const tick = await server.call<{
      activated: number;
      closed: number;
      settling: number;
      seconds: number;
      cpuSeconds: number;
      drainSeconds: number;
      announcements: number;
      poolsAnnounced: number;
      poolsWithOtherThanThree: number;
    }>('tick');
    await server.call('profileStop', { name: 'scheduler-tick' });
    const transitions = tick.activated + tick.closed + tick.settling;
    const everyTransitionOnce =
      transitions === 3 * options.pools &&
      tick.announcements === transitions &&
      tick.poolsAnnounced === options.pools &&
      tick.poolsWithOtherThanThree === 0;
    return {
      name: 'scheduler-tick',
      dialect,
      pools: options.pools,
      transitions,
      seconds: tick.seconds,
      cpuSeconds: tick.cpuSeconds,
      transitionsPerSecond: Math.round(transitions / tick.seconds),
      announcements: tick.announcements,
      poolsWithOtherThanThree: tick.poolsWithOtherThanThree,
      everyTransitionOnce,
      dispatchDrainSeconds: tick.drainSeconds,
      baseline: 'none (absolute time for one tick)',
      target: '≤ 5 s at 100,000 pools, every transition announced once',
      met: everyTransitionOnce && tick.seconds <= 5 * (options.pools / 100_000),
    };
  } finally {
    await server.stop();
  }
}
