import type { PoolAction, PoolStatus } from '@tradepool/domain';
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { eventsTransaction } from '../events/event-store';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { recordStatusChanges } from './transitions';

interface Step {
  action: Extract<PoolAction, 'activate' | 'close' | 'beginSettlement'>;
  from: PoolStatus;
  to: PoolStatus;
  date: 'startDate' | 'endDate' | 'settleDate';
  verb: string;
}

/** In chain order, so a pool whose dates all passed while the server was down walks every step in one tick. */
const STEPS: Step[] = [
  { action: 'activate', from: 'PENDING', to: 'ACTIVE', date: 'startDate', verb: 'automatically activated' },
  { action: 'close', from: 'ACTIVE', to: 'CLOSED', date: 'endDate', verb: 'automatically closed' },
  { action: 'close', from: 'PAUSED', to: 'CLOSED', date: 'endDate', verb: 'automatically closed' },
  {
    action: 'beginSettlement',
    from: 'CLOSED',
    to: 'SETTLING',
    date: 'settleDate',
    verb: 'automatically moved to settling',
  },
];

export interface TickResult {
  activated: number;
  closed: number;
  settling: number;
}

/**
 * One scheduler pass. Each step is a set-based conditional update (`… WHERE status = from AND date <= now`), so a pool
 * moves, and is announced, exactly once even when several processes tick against one database: the loser of a race
 * finds the status already changed and updates nothing.
 */
export async function runScheduledTransitions(
  deps: ServiceDeps,
  options: { batchSize?: number } = {},
): Promise<TickResult> {
  const batchSize = options.batchSize ?? 1000;
  const { pools } = deps.database.schema;
  const result: TickResult = { activated: 0, closed: 0, settling: 0 };
  for (const step of STEPS) {
    for (;;) {
      const now = deps.clock.now();
      const moved = await eventsTransaction(deps, async (tx) => {
        const due = tx
          .select({ id: pools.id })
          .from(pools)
          .where(and(eq(pools.status, step.from), lte(pools[step.date], now)))
          .limit(batchSize);
        const activating = step.action === 'activate';
        const rows = await tx
          .update(pools)
          .set({ status: step.to, updatedAt: now, ...(activating ? activationColumns(pools) : {}) })
          .where(and(inArray(pools.id, due), eq(pools.status, step.from), lte(pools[step.date], now)))
          .returning();
        if (activating) {
          // The raised money starts trading, stamped at the activation: one INSERT … SELECT for the whole batch.
          await insertActivationFlows(
            deps,
            tx,
            rows.map((r) => r.id),
            now,
          );
        }
        // One multi-row INSERT each for the batch's timeline rows and events, in the order of `rows`.
        await recordStatusChanges(deps, tx, {
          before: step.from,
          after: rows,
          actor: { kind: 'SCHEDULER' },
          action: step.action,
        });
        return rows;
      });
      for (const pool of moved) {
        deps.log.info({ poolId: pool.id, from: step.from, to: step.to }, `Pool ${pool.name} ${step.verb}`);
      }
      if (step.to === 'ACTIVE') {
        result.activated += moved.length;
      } else if (step.to === 'CLOSED') {
        result.closed += moved.length;
      } else {
        result.settling += moved.length;
      }
      if (moved.length < batchSize) {
        break;
      }
    }
  }
  return result;
}
