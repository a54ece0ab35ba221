import {
  AutoRenewViewSchema,
  SubscribeResultViewSchema,
  SubscriptionStatusViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { subscribe } from '../services/money/payments';
import { setAutoRenew, subscriptionStatus } from '../services/money/subscription';
import { protectedProcedure, router } from '../trpc';
import { idempotencyKeyOf } from './idempotency-key';

export const subscriptionRouter = router({
  subscribe: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/subscribe',
        tags: ['auth'],
        summary: 'Pay the $2 monthly subscription',
      },
    })
    .input(z.void())
    .output(SubscribeResultViewSchema)
    .mutation(({ ctx }) => subscribe(ctx, idempotencyKeyOf(ctx))),
  status: protectedProcedure
    .input(z.void())
    .output(SubscriptionStatusViewSchema)
    .query(({ ctx }) => subscriptionStatus(ctx)),
  setAutoRenew: protectedProcedure
    .input(z.strictObject({ autoRenew: z.boolean() }))
    .output(AutoRenewViewSchema)
    .mutation(({ ctx, input }) => setAutoRenew(ctx, input.autoRenew)),
});
