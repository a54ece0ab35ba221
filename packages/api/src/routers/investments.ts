import { Cents, InvestmentPageViewSchema, InvestmentViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { cancelInvestment, invest } from '../services/money/investments';
import { listInvestments } from '../services/money/list-investments';
import { PageInput } from '../services/money/paging';
import { protectedProcedure, router } from '../trpc';
import { idempotencyKeyOf } from './idempotency-key';
import { IdInput } from './schemas';

export const investmentsRouter = router({
  create: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/investments',
        tags: ['investments'],
        summary: 'Buy shares of a pool (Idempotency-Key supported)',
      },
      successStatus: 201,
    })
    .input(z.strictObject({ poolId: z.string().min(1).max(64), amountCents: Cents }))
    .output(InvestmentViewSchema)
    .mutation(({ ctx, input }) => invest(ctx, input, idempotencyKeyOf(ctx))),
  list: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/investments',
        tags: ['investments'],
        summary: 'Your investments, newest first (cursor-paged: ?cursor=&limit=)',
      },
    })
    .input(z.strictObject(PageInput).optional())
    .output(InvestmentPageViewSchema)
    .query(({ ctx, input }) => listInvestments(ctx, input ?? {})),
  cancel: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/investments/{id}/cancel',
        tags: ['investments'],
        summary: 'Cancel while the pool is PENDING',
      },
    })
    .input(IdInput)
    .output(InvestmentViewSchema)
    .mutation(({ ctx, input }) => cancelInvestment(ctx, input.id)),
});
