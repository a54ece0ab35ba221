import { CreatePoolInput, PoolViewSchema, UpdatePoolInput } from '@tradepool/domain';
import { actOnPool, createPool, updatePool } from '../../services/pools/pools-service';
import { managerProcedure, router } from '../../trpc';
import { IdInput } from '../schemas';

function actionProcedure(action: 'publish' | 'pause' | 'resume' | 'cancel', summary: string) {
  return managerProcedure
    .meta({ openapi: { method: 'POST', path: `/pools/{id}/${action}`, tags: ['pools'], summary } })
    .input(IdInput)
    .output(PoolViewSchema)
    .mutation(({ ctx, input }) => actOnPool(ctx, input.id, action));
}

/** Pool operations for MANAGER and ADMIN (REST paths as in the contract). */
export const adminPoolsRouter = router({
  create: managerProcedure
    .meta({
      openapi: { method: 'POST', path: '/pools', tags: ['pools'], summary: 'Create a pool (PENDING)' },
      successStatus: 201,
    })
    .input(CreatePoolInput)
    .output(PoolViewSchema)
    .mutation(({ ctx, input }) => createPool(ctx, input)),
  update: managerProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/pools/{id}',
        tags: ['pools'],
        summary: 'Edit the fields the status allows',
      },
    })
    .input(UpdatePoolInput)
    .output(PoolViewSchema)
    .mutation(({ ctx, input }) => updatePool(ctx, input)),
  publish: actionProcedure('publish', 'PENDING → ACTIVE now'),
  pause: actionProcedure('pause', 'ACTIVE → PAUSED'),
  resume: actionProcedure('resume', 'PAUSED → ACTIVE'),
  cancel: actionProcedure('cancel', 'PENDING → CANCELLED (investments refunded)'),
});
