import { Cron } from 'croner';
import type { ServiceDeps } from '../context';
import { runScheduledTransitions, type TickResult } from '../services/pools/scheduler';

export interface SchedulerHandle {
  /** Runs one pass now (what each cron tick does); never throws, a failure is logged. */
  tick(): Promise<TickResult | null>;
  stop(): void;
}

/**
 * The in-process pool scheduler. `protect` skips a tick while the previous one still runs; a failing tick is logged
 * and the next one runs as usual. It also runs once at start, to catch up on dates that passed while it was down.
 */
export function startScheduler(
  deps: ServiceDeps,
  pattern: string,
  options: {
    runAtStart?: boolean;
    /** What one pass runs: `runScheduledTransitions` here by default; the server's SQLite write worker in the server. */
    run?: () => Promise<TickResult>;
  } = {},
): SchedulerHandle {
  const run = options.run ?? (() => runScheduledTransitions(deps));
  const tick = async (): Promise<TickResult | null> => {
    try {
      const result = await run();
      deps.metrics.observeSchedulerRun(result);
      return result;
    } catch (error) {
      deps.log.error({ err: error }, 'scheduler tick failed; the next tick will retry');
      deps.metrics.observeSchedulerRun(null);
      return null;
    }
  };
  const job = new Cron(pattern, { protect: true, name: 'pool-transitions' }, async () => {
    await tick();
  });
  if (options.runAtStart !== false) {
    void tick();
  }
  return { tick, stop: () => job.stop() };
}
