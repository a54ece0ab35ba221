import { Cents, InvestmentStatusSchema } from '@tradepool/domain';
import { z } from 'zod';
import { cancelInvestment, invest, listInvestments } from '../services/money/investments';
import { PageInput } from '../services/money/paging';
import { protectedProcedure, router } from '../trpc';
import { idempotencyKeyOf } from './idempotency-key';

export const InvestmentOutput = z.object({
  id: z.string(),
  poolId: z.string(),
  amountCents: z.number().int(),
  shares: z.string(),
  status: InvestmentStatusSchema,
  payoutCents: z.number().int().nullable(),
  feeCents: z.number().int().nullable(),
  createdAt: z.string(),
});

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
    .output(InvestmentOutput)
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
    .output(z.object({ items: z.array(InvestmentOutput), nextCursor: z.string().nullable() }))
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
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .output(InvestmentOutput)
    .mutation(({ ctx, input }) => cancelInvestment(ctx, input.id)),
});
