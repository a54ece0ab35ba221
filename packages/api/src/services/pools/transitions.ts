import { type Database, type Db, newId, type Pool } from '@tradepool/db';
import { AppError, type PoolAction, type PoolActor, type PoolStatus, transition } from '@tradepool/domain';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { poolViewJsonSql, prepareSqlPoolView } from './pool-view-sql';

export interface PoolActorInfo {
  kind: PoolActor;
  /** The person, when a person did it. */
  user?: { id: string; email: string } | null;
  ip?: string | null;
}

/** One move recorded by `recordStatusChanges`: the pools, in order, that went from `from` to `to`. */
export interface StatusMove {
  from: PoolStatus;
  to: PoolStatus;
  action: PoolAction;
  poolIds: readonly string[];
}

/** Runs a statement in a transaction on either dialect. */
async function run(database: Database, tx: Db, query: SQL): Promise<void> {
  if (database.dialect === 'sqlite') {
    await (tx as unknown as { run(query: SQL): unknown }).run(query);
  } else {
    await tx.execute(query);
  }
}

/** A JSON array of ids as rows `(id, position)` named `moved`, in the array's order. */
function movedRows(database: Database, ids: readonly string[]): SQL {
  const json = JSON.stringify(ids);
  return database.dialect === 'sqlite'
    ? sql`(select value as id, key as position from json_each(${json})) as moved`
    : sql`jsonb_array_elements_text(cast(${json} as jsonb)) with ordinality as moved(id, position)`;
}

/**
 * Ids for the timeline rows of one move, made by the database: the time, counter and next 30 random bits of one
 * `newId()` taken for the move, then the row's position in the move in 8 hex digits. A move's rows come after
 * everything this process numbered before and before anything it numbers later, in the move's order, which is all the
 * timeline's order (`at`, then id) needs; and they are inserted in ascending order, so SQLite appends them to the
 * primary key's index instead of scattering them over it (random bits per row cost about 0.8 µs more per row, and more
 * pages written). Two processes give the same id only if they draw the same millisecond, counter and 30 random bits
 * for a move: the insert then fails and that transaction rolls back, its pools left for a later tick.
 */
function historyIdSql(database: Database): SQL {
  // `tttttttt-tttt-7ccc-vrrr-rrrr` of a `newId()`, whose last 8 characters become the position.
  const prefix = newId().slice(0, 28);
  return database.dialect === 'sqlite'
    ? sql`(${prefix} || printf('%08x', moved.position))`
    : sql`(cast(${prefix} as text) || lpad(to_hex(moved.position - 1), 8, '0'))`;
}

/** A bound value typed for Postgres, whose INSERT … SELECT cannot infer the type of a bare parameter. */
function typed(database: Database, value: unknown, pgType: 'text' | 'timestamptz'): SQL {
  return database.dialect === 'sqlite' ? sql`${value}` : sql`cast(${value} as ${sql.raw(pgType)})`;
}

/**
 * Records status changes that have just been written, inside the transaction that wrote them: for each move in
 * order, each of its pools gets its timeline row and its `pool:update` event carrying the pool as stored with the
 * status of that move (a pool that walked several moves in one update is announced once per move, as it was after
 * it), and, when a person did it, the audit entry. `at` is the instant the update wrote, the pools' `updated_at`:
 * the timeline rows and events are stamped with it, and the events' `updatedAt` is its ISO text, bound once instead of
 * formatted from each row.
 *
 * The timeline rows and events are `INSERT … SELECT`s from the stored rows, the event JSON built by the database
 * (`poolViewJsonSql`, equal to `poolView`): two statements per move whatever the number of pools, so the scheduler's
 * thousands of transitions per batch build nothing per row in JavaScript (docs/performance.md, scheduler). Events
 * are stored in the order of the moves, then of `poolIds`, and their ids (SQLite's AUTOINCREMENT, Postgres's
 * `tradepool_next_event_id()` default) increase along that order, so each move is announced once, in that order.
 */
export async function recordStatusChanges(
  deps: Pick<ServiceDeps, 'database' | 'clock'>,
  tx: Db,
  input: { moves: readonly StatusMove[]; actor: PoolActorInfo; at: Date },
): Promise<void> {
  const { database } = deps;
  const { pools, events, poolStatusHistory } = database.schema;
  const at = typed(database, sql.param(input.at, poolStatusHistory.at), 'timestamptz');
  const actorId = typed(database, input.actor.user?.id ?? null, 'text');
  const actorEmail = typed(database, input.actor.user?.email ?? null, 'text');
  const trigger = input.actor.kind === 'SCHEDULER' ? 'SCHEDULER' : 'USER';
  prepareSqlPoolView(database, tx);
  for (const move of input.moves) {
    if (move.poolIds.length === 0) {
      continue;
    }
    const from = typed(database, move.from, 'text');
    const to = typed(database, move.to, 'text');
    await run(
      database,
      tx,
      sql`insert into ${poolStatusHistory} ("id", "pool_id", "from_status", "to_status", "at", "actor_id", "actor_email", "trigger") select ${historyIdSql(database)}, moved.id, ${from}, ${to}, ${at}, ${actorId}, ${actorEmail}, ${sql.raw(`'${trigger}'`)} from ${movedRows(database, move.poolIds)}`,
    );
    const payload =
      database.dialect === 'sqlite'
        ? sql`json_object('pool', ${poolViewJsonSql(database, move.to, input.at)}, 'previousStatus', ${from})`
        : sql`jsonb_build_object('pool', ${poolViewJsonSql(database, move.to, input.at)}, 'previousStatus', ${from})`;
    await run(
      database,
      tx,
      sql`insert into ${events} ("type", "pool_id", "user_id", "payload", "at") select 'pool:update', ${pools.id}, null, ${payload}, ${at} from ${movedRows(database, move.poolIds)} join ${pools} on ${pools.id} = moved.id order by moved.position`,
    );
    const user = input.actor.user;
    if (user) {
      for (const poolId of move.poolIds) {
        await recordAudit(deps, tx, {
          actor: user,
          action: `pool.${move.action}`,
          target: { type: 'pool', id: poolId },
          before: { status: move.from },
          after: { status: move.to },
          ip: input.actor.ip ?? null,
        });
      }
    }
  }
}

/**
 * Moves one pool by a person's action. The update is conditional on the status the state machine allowed, so two
 * admins clicking at once produce one change and one 409.
 */
export async function applyPoolAction(
  deps: ServiceDeps,
  tx: Db,
  pool: Pool,
  action: PoolAction,
  actor: PoolActorInfo,
): Promise<Pool> {
  const { pools } = deps.database.schema;
  const decision = transition(pool.status, action, actor.kind);
  if (!decision.ok) {
    throw new AppError(
      decision.reason === 'not_allowed_for_actor' ? 'FORBIDDEN' : 'CONFLICT',
      decision.message,
      {
        details: { status: pool.status },
      },
    );
  }
  const now = deps.clock.now();
  // Publishing starts trading: the raised money becomes the pool's capital, stamped now (CONTRACT §6).
  const activating = pool.status === 'PENDING' && decision.to === 'ACTIVE';
  const [after] = await tx
    .update(pools)
    .set({ status: decision.to, updatedAt: now, ...(activating ? activationColumns(pools) : {}) })
    .where(and(eq(pools.id, pool.id), eq(pools.status, pool.status)))
    .returning();
  if (!after) {
    throw new AppError('CONFLICT', `The pool changed meanwhile; it is no longer ${pool.status}`);
  }
  if (activating) {
    await insertActivationFlows(deps, tx, [after.id], now);
  }
  await recordStatusChanges(deps, tx, {
    moves: [{ from: pool.status, to: after.status, action, poolIds: [after.id] }],
    actor,
    at: now,
  });
  return after;
}
