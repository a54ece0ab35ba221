import {
  Cents,
  DepositResultViewSchema,
  WalletHistoryEntrySchema,
  WalletViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { deposit } from '../services/money/payments';
import { walletOf } from '../services/money/user-events';
import { walletHistory } from '../services/money/wallet-history';
import { protectedProcedure, router } from '../trpc';
import { idempotencyKeyOf } from './idempotency-key';

const AmountInput = z.strictObject({ amountCents: Cents });

export const walletRouter = router({
  get: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/wallet',
        tags: ['wallet'],
        summary: 'Spendable balance and held funds',
      },
    })
    .input(z.void())
    .output(WalletViewSchema)
    .query(({ ctx }) => walletOf(ctx, ctx.database.db, ctx.user.id)),
  deposit: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/wallet/deposits',
        tags: ['wallet'],
        summary: 'Add money (demo: instant; stripe: checkout URL)',
      },
    })
    .input(AmountInput)
    .output(DepositResultViewSchema)
    .mutation(({ ctx, input }) => deposit(ctx, input.amountCents, idempotencyKeyOf(ctx))),
  history: protectedProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .output(z.array(WalletHistoryEntrySchema))
    .query(({ ctx, input }) => walletHistory(ctx, input?.limit ?? 50)),
});
