import { strictNumber } from '@tradepool/domain';
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

const SettlementOutput = z.object({
  poolId: z.string(),
  finalEquityCents: z.number().int(),
  defaultFinalEquityCents: z
    .number()
    .int()
    .describe("the equity the model's last report supports: capital + PnL"),
  overrideMinCents: z.number().int().describe('lowest final equity an ADMIN override may set (−5 %)'),
  overrideMaxCents: z.number().int().describe('highest final equity an ADMIN override may set (+5 %)'),
  overridden: z.boolean(),
  capitalCents: z.number().int(),
  gainCents: z.number().int(),
  feesCents: z.number().int(),
  navPerShare: z.string(),
  payouts: z.array(
    z.object({
      investmentId: z.string(),
      userId: z.string(),
      email: z.string(),
      amountCents: z.number().int(),
      grossCents: z.number().int(),
      feeCents: z.number().int(),
      payoutCents: z.number().int(),
    }),
  ),
});

export const adminSettlementRouter = router({
  preview: managerProcedure
    .input(z.strictObject({ id: Id, finalEquityCents: FinalEquity.optional(), reason: Reason.optional() }))
    .output(SettlementOutput)
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
    .output(SettlementOutput)
    .mutation(({ ctx, input }) =>
      settlePool(ctx, input.id, { finalEquityCents: input.finalEquityCents, reason: input.reason }),
    ),
});
