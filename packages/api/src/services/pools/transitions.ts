import { type BulkColumn, bulkInsert, type Db, newId, type Pool } from '@tradepool/db';
import { AppError, type PoolAction, type PoolActor, type PoolStatus, transition } from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvents } from '../events/event-store';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { poolView } from './pool-view';

export interface PoolActorInfo {
  kind: PoolActor;
  /** The person, when a person did it. */
  user?: { id: string; email: string } | null;
  ip?: string | null;
}

/** `pool_status_history`'s columns, in the order `recordStatusChanges` lists each row's values. */
const HISTORY_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'pool_id', type: 'text' },
  { name: 'from_status', type: 'text' },
  { name: 'to_status', type: 'text' },
  { name: 'at', type: 'instant' },
  { name: 'actor_id', type: 'text' },
  { name: 'actor_email', type: 'text' },
  { name: 'trigger', type: 'text' },
];

/**
 * Records a status change that has just been written: the timeline row, the `pool:update` event and, when a person
 * did it, the audit entry. Always inside the transaction that changed the status.
 */
export async function recordStatusChange(
  deps: ServiceDeps,
  tx: Db,
  input: { before: PoolStatus; after: Pool; actor: PoolActorInfo; action: PoolAction },
): Promise<void> {
  await recordStatusChanges(deps, tx, {
    before: input.before,
    after: [input.after],
    actor: input.actor,
    action: input.action,
  });
}

/**
 * `recordStatusChange` for a batch of pools that made the same move (the scheduler's set-based updates): one
 * `INSERT` for the timeline rows and one for the events whatever the batch's size, each taking its rows as one JSON
 * parameter (`bulkInsert`): building per-row statements, or multi-row `VALUES` through the query builder, was most of
 * a scheduler tick in the profile (docs/performance.md). The events are stored in the order of `after`, so each
 * pool's move is announced once, in that order.
 */
export async function recordStatusChanges(
  deps: ServiceDeps,
  tx: Db,
  input: { before: PoolStatus; after: readonly Pool[]; actor: PoolActorInfo; action: PoolAction },
): Promise<void> {
  const now = deps.clock.now();
  const actorId = input.actor.user?.id ?? null;
  const actorEmail = input.actor.user?.email ?? null;
  const trigger = input.actor.kind === 'SCHEDULER' ? 'SCHEDULER' : 'USER';
  await bulkInsert(
    deps.database.dialect,
    tx,
    'pool_status_history',
    HISTORY_COLUMNS,
    input.after.map((after) => [
      newId(),
      after.id,
      input.before,
      after.status,
      now,
      actorId,
      actorEmail,
      trigger,
    ]),
  );
  await appendEvents(
    deps,
    tx,
    input.after.map((after) => ({
      type: 'pool:update' as const,
      poolId: after.id,
      data: { pool: { ...poolView(after) }, previousStatus: input.before },
    })),
  );
  const user = input.actor.user;
  if (user) {
    for (const after of input.after) {
      await recordAudit(deps, tx, {
        actor: user,
        action: `pool.${input.action}`,
        target: { type: 'pool', id: after.id },
        before: { status: input.before },
        after: { status: after.status },
        ip: input.actor.ip ?? null,
      });
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
  await recordStatusChange(deps, tx, { before: pool.status, after, actor, action });
  return after;
}
