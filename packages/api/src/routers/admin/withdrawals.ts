import { WithdrawalViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { decideWithdrawal } from '../../services/money/withdrawals';
import { adminProcedure, router } from '../../trpc';

const Id = z.string().min(1).max(64);

export const adminWithdrawalsRouter = router({
  approve: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/withdrawals/{id}/approve',
        tags: ['admin'],
        summary: 'Approve a requested withdrawal',
      },
    })
    .input(z.strictObject({ id: Id }))
    .output(WithdrawalViewSchema)
    .mutation(({ ctx, input }) => decideWithdrawal(ctx, input.id, { action: 'approve' })),
  reject: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/withdrawals/{id}/reject',
        tags: ['admin'],
        summary: 'Reject (funds return to the wallet)',
      },
    })
    .input(
      z.strictObject({
        id: Id,
        reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(500),
      }),
    )
    .output(WithdrawalViewSchema)
    .mutation(({ ctx, input }) =>
      decideWithdrawal(ctx, input.id, { action: 'reject', reason: input.reason }),
    ),
  markPaid: adminProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/admin/withdrawals/{id}/mark-paid',
        tags: ['admin'],
        summary: 'Record the bank payout of an approved withdrawal',
      },
    })
    .input(
      z.strictObject({
        id: Id,
        reference: z.string().trim().min(3, 'must be the payout reference').max(200),
      }),
    )
    .output(WithdrawalViewSchema)
    .mutation(({ ctx, input }) =>
      decideWithdrawal(ctx, input.id, { action: 'markPaid', reference: input.reference }),
    ),
});
