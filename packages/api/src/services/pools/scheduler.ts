import { type Db, newId } from '@tradepool/db';
import type { PoolAction, PoolStatus } from '@tradepool/domain';
import { and, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { eventsTransaction } from '../events/event-store';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { poolUpdatePayloadSql, poolViewSplitSql, prepareSqlPoolView } from './pool-view-sql';
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

/** A pool the update moved: its name only when the moves are logged, its rowid on SQLite. */
interface MovedRow {
  id: string;
  status: PoolStatus;
  name?: string;
  rowid?: number;
}

/**
 * What a tick needs: the database, the clock, the bus its commits wake the dispatcher through, and a logger for the
 * moves. Narrow, so a thread of its own can run a tick (the server's SQLite write worker, write-worker.ts).
 */
export interface SchedulerDeps extends Pick<ServiceDeps, 'database' | 'clock'> {
  bus: { notify(): void };
  log: { isLevelEnabled(level: 'info'): boolean; info(obj: object, msg: string): void };
}

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
 * (all activations, then all closings, then all settlements) by statements that build the timeline rows and the
 * `pool:update` events, each carrying the pool as it was after that move, in the database: `recordStatusChanges` on
 * Postgres, `recordSqliteBatch` (the same rows, each pool's view built once per batch) on SQLite.
 */
export async function runScheduledTransitions(
  deps: SchedulerDeps,
  options: { batchSize?: number } = {},
): Promise<TickResult> {
  const batchSize = options.batchSize ?? 10_000;
  const { pools } = deps.database.schema;
  const result: TickResult = { activated: 0, closed: 0, settling: 0 };
  const logging = deps.log.isLevelEnabled('info');
  const sqlite = deps.database.dialect === 'sqlite';
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
        const dueWhere = and(eq(pools.status, first.from), lte(pools[first.date], now));
        // On SQLite the batch is picked by rowid: the update then checks each row of the (status, date) index against
        // a set of integers instead of searching a set of text ids (about 3 µs a row of 15 at 10,000 rows).
        const picked = sqlite
          ? sql`rowid in (${tx.select({ rowid: sql`rowid` }).from(pools).where(dueWhere).limit(batchSize)})`
          : inArray(pools.id, tx.select({ id: pools.id }).from(pools).where(dueWhere).limit(batchSize));
        const activating = first === ACTIVATE;
        const rows: MovedRow[] = await tx
          .update(pools)
          .set({
            status: finalStatus as unknown as PoolStatus,
            updatedAt: now,
            ...(activating ? activationColumns(pools) : {}),
          })
          .where(and(picked, dueWhere))
          .returning({
            id: pools.id,
            status: pools.status,
            ...(logging ? { name: pools.name } : {}),
            ...(sqlite ? { rowid: sql<number>`rowid` } : {}),
          });
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
        const moves = chain.map((move, index) => ({ ...move, poolIds: poolIds[index] ?? [] }));
        if (sqlite) {
          await recordSqliteBatch(deps, tx, rows, moves, now);
        } else {
          await recordStatusChanges(deps, tx, { moves, actor: { kind: 'SCHEDULER' }, at: now });
        }
        return rows;
      });
      for (const pool of moved) {
        const last = lastMove.get(pool.status) ?? -1;
        for (let index = 0; index <= last; index++) {
          const move = chain[index] as Move;
          if (logging) {
            deps.log.info(
              { poolId: pool.id, from: move.from, to: move.to },
              `Pool ${pool.name ?? pool.id} ${move.verb}`,
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

/** SQLite's per-connection scratch table of one batch's moved pools, emptied by each batch (see `recordSqliteBatch`). */
const MOVED = 'tp_scheduler_moved';

/**
 * What `recordStatusChanges` records for a batch of scheduled moves, on SQLite, with each pool's view built once per
 * batch instead of once per move. The moved pools (found by the rowids the update returned) are copied once, in the
 * update's order, into a temporary table with their view in two halves around `status` (`poolViewSplitSql`); each
 * move's timeline rows and events are then `INSERT … SELECT`s from that table in its rowid order (no sort), the
 * payload spliced as `json_object` would write it (`poolUpdatePayloadSql`; pool-view-sql.test.ts compares the bytes
 * with `poolView`). Same rows, events and order as `recordStatusChanges`: moves in order, each in the update's order,
 * timeline ids the first 28 characters of one `newId()` per move then the pool's position in the batch in 8 hex
 * digits (ascending and unique within the move). The temporary table is the connection's own, written and emptied in
 * the batch's transaction. Measured over 100,000 pools walking three moves: the events' inserts 3.1 s of CPU before,
 * 1.3 s plus 0.8 s for the table after (docs/performance.md, scheduler).
 */
async function recordSqliteBatch(
  deps: SchedulerDeps,
  tx: Db,
  rows: readonly MovedRow[],
  moves: readonly (Move & { poolIds: readonly string[] })[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const { database } = deps;
  const { pools, events, poolStatusHistory } = database.schema;
  const run = (query: SQL) => (tx as unknown as { run(query: SQL): Promise<unknown> }).run(query);
  prepareSqlPoolView(database, tx);
  await run(
    sql.raw(
      `create temp table if not exists ${MOVED} (position integer primary key, id text not null, reached integer not null, before text not null, after text not null)`,
    ),
  );
  // How many moves of the chain each pool made, from the status the update left it at.
  const reached = sql.join(
    moves.map((move, index) => sql`when ${move.to} then ${sql.raw(String(index + 1))}`),
    sql` `,
  );
  const { before, after } = poolViewSplitSql(database, at);
  const table = sql.raw(`temp.${MOVED}`);
  await run(
    sql`insert into ${table} (position, id, reached, before, after) select moved.key, ${pools.id}, case ${pools.status} ${reached} else 0 end, ${before}, ${after} from json_each(${JSON.stringify(rows.map((r) => r.rowid))}) as moved join ${pools} on ${pools}.rowid = moved.value`,
  );
  const stamp = sql.param(at, poolStatusHistory.at);
  for (const [index, move] of moves.entries()) {
    if (move.poolIds.length === 0) {
      continue;
    }
    const mover = sql`from ${table} as moved where moved.reached > ${sql.raw(String(index))} order by moved.position`;
    const prefix = newId().slice(0, 28);
    await run(
      sql`insert into ${poolStatusHistory} ("id", "pool_id", "from_status", "to_status", "at", "actor_id", "actor_email", "trigger") select ${prefix} || printf('%08x', moved.position), moved.id, ${move.from}, ${move.to}, ${stamp}, null, null, 'SCHEDULER' ${mover}`,
    );
    const payload = poolUpdatePayloadSql(
      sql`moved.before`,
      sql`moved.after`,
      sql`${move.to}`,
      sql`${move.from}`,
    );
    await run(
      sql`insert into ${events} ("type", "pool_id", "user_id", "payload", "at") select 'pool:update', moved.id, null, ${payload}, ${stamp} ${mover}`,
    );
  }
  await run(sql.raw(`delete from temp.${MOVED}`));
}
