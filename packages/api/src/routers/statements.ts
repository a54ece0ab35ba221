import { z } from 'zod';
import {
  MAX_TRANSACTIONS_PAGE,
  myStatements,
  poolStatement,
  walletTransactions,
} from '../services/money/statements';
import { protectedProcedure, router } from '../trpc';

export const StatementOutput = z.object({
  poolId: z.string(),
  status: z.string(),
  investedCents: z.number().int(),
  shares: z.string(),
  navPerShare: z.string(),
  valueCents: z.number().int(),
  profitCents: z.number().int(),
  feeCents: z.number().int().nullable(),
  payoutCents: z.number().int().nullable(),
});

export const WalletTransactionOutput = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  description: z.string(),
  amountCents: z.number().int(),
  heldCents: z.number().int(),
  poolId: z.string().nullable(),
});

/** Investor statements and wallet movements (CONTRACT §6). */
export const statementsRouter = router({
  pool: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/pools/{id}/statement',
        tags: ['pools'],
        summary: 'Your statement for a pool: invested, shares, value, profit; fee and payout once settled',
      },
    })
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .output(StatementOutput)
    .query(({ ctx, input }) => poolStatement(ctx, input.id)),
  mine: protectedProcedure
    .input(z.void())
    .output(z.object({ items: z.array(StatementOutput) }))
    .query(async ({ ctx }) => ({ items: await myStatements(ctx) })),
  transactions: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/wallet/transactions',
        tags: ['wallet'],
        summary: 'Your wallet movements, newest first (cursor-paged; ?format=csv downloads them all as CSV)',
      },
    })
    .input(
      z.strictObject({
        cursor: z.string().min(1).max(200).optional(),
        limit: z.coerce.number().int().min(1).max(MAX_TRANSACTIONS_PAGE).optional(),
        // Answered by the server's CSV route before it reaches here; declared so the document shows it.
        format: z.enum(['json', 'csv']).optional(),
        // tRPC's infinite queries send it; pages only go one way (older), so it changes nothing.
        direction: z.enum(['forward', 'backward']).optional(),
      }),
    )
    .output(z.object({ items: z.array(WalletTransactionOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => walletTransactions(ctx, input)),
});
