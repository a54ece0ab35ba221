import type { PoolAction, PoolStatus } from '@tradepool/domain';
import { and, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { eventsTransaction } from '../events/event-store';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { recordStatusChanges } from './transitions';

type DateColumn = 'startDate' | 'endDate' | 'settleDate';

/** One move the scheduler makes: `from` → `to` once `date` has passed. */
interface Move {
  action: Extract<PoolAction, 'activate' | 'close' | 'beginSettlement'>;
  from: PoolStatus;
  to: PoolStatus;
  date: DateColumn;
  verb: string;
}

const ACTIVATE: Move = {
  action: 'activate',
  from: 'PENDING',
  to: 'ACTIVE',
  date: 'startDate',
  verb: 'automatically activated',
};
const CLOSE_ACTIVE: Move = {
  action: 'close',
  from: 'ACTIVE',
  to: 'CLOSED',
  date: 'endDate',
  verb: 'automatically closed',
};
const CLOSE_PAUSED: Move = { ...CLOSE_ACTIVE, from: 'PAUSED' };
const BEGIN_SETTLEMENT: Move = {
  action: 'beginSettlement',
  from: 'CLOSED',
  to: 'SETTLING',
  date: 'settleDate',
  verb: 'automatically moved to settling',
};

/**
 * Where a pool can start its walk in one tick, and the moves that may follow while their dates have passed too: a
 * pool whose start, end and settle dates all passed (while the server was down, say) walks PENDING → ACTIVE → CLOSED
 * → SETTLING in one update of its row, and each of the three moves is still recorded and announced on its own.
 */
const CHAINS: readonly (readonly Move[])[] = [
  [ACTIVATE, CLOSE_ACTIVE, BEGIN_SETTLEMENT],
  [CLOSE_ACTIVE, BEGIN_SETTLEMENT],
  [CLOSE_PAUSED, BEGIN_SETTLEMENT],
  [BEGIN_SETTLEMENT],
];

export interface TickResult {
  activated: number;
  closed: number;
  settling: number;
}

/**
 * One scheduler pass. Each chain is a set-based conditional update (`… WHERE status = from AND date <= now`) that
 * writes each due pool's final status for this tick at once, so a pool moves, and is announced, exactly once even
 * when several processes tick against one database: the loser of a race finds the status already changed and updates
 * nothing, and only the rows the update returned are recorded. The moves of a batch are then recorded move by move
 * (all activations, then all closings, then all settlements) by `recordStatusChanges`, whose statements build the
 * timeline rows and the `pool:update` events, each carrying the pool as it was after that move, in the database.
 */
export async function runScheduledTransitions(
  deps: ServiceDeps,
  options: { batchSize?: number } = {},
): Promise<TickResult> {
  const batchSize = options.batchSize ?? 10_000;
  const { pools } = deps.database.schema;
  const result: TickResult = { activated: 0, closed: 0, settling: 0 };
  const logging = deps.log.isLevelEnabled('info');
  for (const chain of CHAINS) {
    const [first] = chain;
    if (!first) {
      continue;
    }
    /** How far along the chain a pool that ended the tick at a status went (index of its last move). */
    const lastMove = new Map(chain.map((move, index) => [move.to, index]));
    for (;;) {
      const now = deps.clock.now();
      const stamp = (date: DateColumn): SQL => sql`${pools[date]} <= ${sql.param(now, pools[date])}`;
      // The status this tick ends at: each further move of the chain applies while its own date has passed too, so
      // the longest walk whose dates have all passed is tried first.
      const further: SQL[] = [];
      for (let index = chain.length - 1; index >= 1; index--) {
        const move = chain[index] as Move;
        const reached = chain.slice(1, index + 1).map((m) => stamp(m.date));
        further.push(sql`when ${and(...reached)} then ${move.to}`);
      }
      const finalStatus =
        further.length === 0 ? sql`${first.to}` : sql`case ${sql.join(further, sql` `)} else ${first.to} end`;
      const moved = await eventsTransaction(deps, async (tx) => {
        const due = tx
          .select({ id: pools.id })
          .from(pools)
          .where(and(eq(pools.status, first.from), lte(pools[first.date], now)))
          .limit(batchSize);
        const activating = first === ACTIVATE;
        const rows = await tx
          .update(pools)
          .set({
            status: finalStatus as unknown as PoolStatus,
            updatedAt: now,
            ...(activating ? activationColumns(pools) : {}),
          })
          .where(and(inArray(pools.id, due), eq(pools.status, first.from), lte(pools[first.date], now)))
          .returning({ id: pools.id, name: pools.name, status: pools.status });
        if (activating) {
          // The raised money starts trading, stamped at the activation: one INSERT … SELECT for the whole batch.
          await insertActivationFlows(
            deps,
            tx,
            rows.map((r) => r.id),
            now,
          );
        }
        // The pools that made each move, in the order the update returned them.
        const poolIds = chain.map((): string[] => []);
        for (const row of rows) {
          const last = lastMove.get(row.status) ?? -1;
          for (let index = 0; index <= last; index++) {
            poolIds[index]?.push(row.id);
          }
        }
        await recordStatusChanges(deps, tx, {
          moves: chain.map((move, index) => ({ ...move, poolIds: poolIds[index] ?? [] })),
          actor: { kind: 'SCHEDULER' },
          at: now,
        });
        return rows;
      });
      for (const pool of moved) {
        const last = lastMove.get(pool.status) ?? -1;
        for (let index = 0; index <= last; index++) {
          const move = chain[index] as Move;
          if (logging) {
            deps.log.info(
              { poolId: pool.id, from: move.from, to: move.to },
              `Pool ${pool.name} ${move.verb}`,
            );
          }
          if (move.to === 'ACTIVE') {
            result.activated += 1;
          } else if (move.to === 'CLOSED') {
            result.closed += 1;
          } else {
            result.settling += 1;
          }
        }
      }
      if (moved.length < batchSize) {
        break;
      }
    }
  }
  return result;
}
