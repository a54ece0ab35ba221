import { z } from 'zod';
import { checkLedger } from '../../services/money/ledger';
import { adminProcedure, router } from '../../trpc';

export const adminLedgerRouter = router({
  check: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/ledger/check',
        tags: ['admin'],
        summary: 'Prove the books balance',
      },
    })
    .input(z.void())
    .output(
      z.object({
        balanced: z.boolean(),
        totalCents: z.number().int(),
        accounts: z.number().int(),
        transfers: z.number().int(),
        negative: z.array(z.object({ id: z.string(), balanceCents: z.number().int() })),
        mismatched: z.array(
          z.object({ id: z.string(), balanceCents: z.number().int(), fromTransfersCents: z.number().int() }),
        ),
        pools: z
          .array(
            z.object({
              poolId: z.string(),
              name: z.string(),
              status: z.string(),
              capitalInCents: z.number().int(),
              tradingResultCents: z.number().int(),
              feesCents: z.number().int(),
              payoutsCents: z.number().int(),
              reportedEquityCents: z.number().int(),
              overridden: z.boolean(),
              unsupported: z.boolean(),
              message: z.string().nullable(),
            }),
          )
          .describe(
            "each pool's capital in, trading result, fees and payouts; `unsupported` when no report explains it",
          ),
        unsupported: z.number().int().describe('pools whose settled trading result no model report supports'),
      }),
    )
    .query(({ ctx }) => checkLedger(ctx.database)),
});
