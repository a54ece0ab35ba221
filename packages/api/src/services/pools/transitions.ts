import type { Db, Pool } from '@tradepool/db';
import { AppError, type PoolAction, type PoolActor, type PoolStatus, transition } from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent } from '../events/event-store';
import { activationColumns, insertActivationFlows } from '../money/capital';
import { poolView } from './pool-view';

export interface PoolActorInfo {
  kind: PoolActor;
  /** The person, when a person did it. */
  user?: { id: string; email: string } | null;
  ip?: string | null;
}

/**
 * Records a status change that has just been written: the timeline row, the `pool:update` event and, when a person
 * did it, the audit entry. Always inside the transaction that changed the status.
 */
export async function recordStatusChange(
  deps: ServiceDeps,
  tx: Db,
  input: { before: PoolStatus; after: Pool; actor: PoolActorInfo; action: PoolAction },
): Promise<void> {
  const { poolStatusHistory } = deps.database.schema;
  const now = deps.clock.now();
  await tx.insert(poolStatusHistory).values({
    poolId: input.after.id,
    fromStatus: input.before,
    toStatus: input.after.status,
    at: now,
    actorId: input.actor.user?.id ?? null,
    actorEmail: input.actor.user?.email ?? null,
    trigger: input.actor.kind === 'SCHEDULER' ? 'SCHEDULER' : 'USER',
  });
  await appendEvent(deps, tx, {
    type: 'pool:update',
    poolId: input.after.id,
    data: { pool: { ...poolView(input.after) }, previousStatus: input.before },
  });
  if (input.actor.user) {
    await recordAudit(deps, tx, {
      actor: input.actor.user,
      action: `pool.${input.action}`,
      target: { type: 'pool', id: input.after.id },
      before: { status: input.before },
      after: { status: input.after.status },
      ip: input.actor.ip ?? null,
    });
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
