import {
  PoolStatementListViewSchema,
  PoolStatementViewSchema,
  WalletTransactionPageViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import {
  MAX_TRANSACTIONS_PAGE,
  myStatements,
  poolStatement,
  walletTransactions,
} from '../services/money/statements';
import { protectedProcedure, router } from '../trpc';
import { IdInput } from './schemas';

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
    .input(IdInput)
    .output(PoolStatementViewSchema)
    .query(({ ctx, input }) => poolStatement(ctx, input.id)),
  mine: protectedProcedure
    .input(z.void())
    .output(PoolStatementListViewSchema)
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
    .output(WalletTransactionPageViewSchema)
    .query(({ ctx, input }) => walletTransactions(ctx, input)),
});
