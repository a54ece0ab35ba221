import {
  Cents,
  PayoutDestination,
  WithdrawalPageViewSchema,
  WithdrawalStatusSchema,
  WithdrawalViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { PageInput } from '../services/money/paging';
import { decideWithdrawal, listWithdrawals, requestWithdrawal } from '../services/money/withdrawals';
import { protectedProcedure, router } from '../trpc';
import { idempotencyKeyOf } from './idempotency-key';
import { IdInput } from './schemas';

export const withdrawalsRouter = router({
  create: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/withdrawals',
        tags: ['withdrawals'],
        summary: 'Request a withdrawal (funds are held)',
      },
      successStatus: 201,
    })
    .input(
      // `payoutDestination` is optional: clients written before it existed keep working (additive, CONTRACT §3).
      z.strictObject({ amountCents: Cents, payoutDestination: PayoutDestination.optional() }),
    )
    .output(WithdrawalViewSchema)
    .mutation(({ ctx, input }) =>
      requestWithdrawal(ctx, input.amountCents, idempotencyKeyOf(ctx), input.payoutDestination),
    ),
  list: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/withdrawals',
        tags: ['withdrawals'],
        summary: 'Your withdrawals, newest first (ADMIN: ?all=true; cursor-paged: ?cursor=&limit=)',
      },
    })
    .input(
      z.strictObject({
        all: z.preprocess((v) => v === true || v === 'true', z.boolean()).optional(),
        status: WithdrawalStatusSchema.optional(),
        ...PageInput,
      }),
    )
    .output(WithdrawalPageViewSchema)
    .query(({ ctx, input }) => listWithdrawals(ctx, input)),
  cancel: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/withdrawals/{id}/cancel',
        tags: ['withdrawals'],
        summary: 'Cancel while REQUESTED',
      },
    })
    .input(IdInput)
    .output(WithdrawalViewSchema)
    .mutation(({ ctx, input }) => decideWithdrawal(ctx, input.id, { action: 'cancel' })),
});
