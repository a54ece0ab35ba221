import { SettlementViewSchema, strictNumber } from '@tradepool/domain';
import { z } from 'zod';
import { previewSettlement, settlePool } from '../../services/money/settlement';
import { managerProcedure, router } from '../../trpc';

const Id = z.string().min(1).max(64);
const FinalEquity = strictNumber(
  z
    .number({ error: 'must be an integer number of cents' })
    .int('must be an integer number of cents')
    .min(0, 'must not be negative')
    .max(100_000_000_000, 'is too large'),
  {
    type: 'integer',
    minimum: 0,
    description:
      "US cents; defaults to the pool's equity from the model's last report. Overriding it needs an ADMIN, a reason, and stays within 5 %",
  },
);
const Reason = z
  .string({ error: 'must be a string' })
  .trim()
  .max(500, 'must be at most 500 characters')
  .describe('why the final equity is overridden (kept in the audit log); required with an override');

export const adminSettlementRouter = router({
  preview: managerProcedure
    .input(z.strictObject({ id: Id, finalEquityCents: FinalEquity.optional(), reason: Reason.optional() }))
    .output(SettlementViewSchema)
    .query(({ ctx, input }) =>
      previewSettlement(ctx, input.id, { finalEquityCents: input.finalEquityCents, reason: input.reason }),
    ),
  settle: managerProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/pools/{id}/settle',
        tags: ['pools'],
        summary: 'SETTLING → SETTLED: pay out at the final equity',
      },
    })
    .input(z.strictObject({ id: Id, finalEquityCents: FinalEquity.optional(), reason: Reason.optional() }))
    .output(SettlementViewSchema)
    .mutation(({ ctx, input }) =>
      settlePool(ctx, input.id, { finalEquityCents: input.finalEquityCents, reason: input.reason }),
    ),
});
