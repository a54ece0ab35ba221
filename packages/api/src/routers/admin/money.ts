import { strictNumber } from '@tradepool/domain';
import { and, count, desc, eq, gt, inArray, sum } from 'drizzle-orm';
import { z } from 'zod';
import { checkLedger } from '../../services/money/ledger';
import { previewSettlement, settlePool } from '../../services/money/settlement';
import { decideWithdrawal } from '../../services/money/withdrawals';
import { adminProcedure, managerProcedure, router } from '../../trpc';
import { WithdrawalOutput } from '../money';

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
    .output(WithdrawalOutput)
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
    .output(WithdrawalOutput)
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
    .output(WithdrawalOutput)
    .mutation(({ ctx, input }) =>
      decideWithdrawal(ctx, input.id, { action: 'markPaid', reference: input.reference }),
    ),
});

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

export const adminMailRouter = router({
  outbox: adminProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .query(async ({ ctx, input }) => {
      const { mailOutbox } = ctx.database.schema;
      const rows = await ctx.database.db
        .select()
        .from(mailOutbox)
        .orderBy(desc(mailOutbox.createdAt))
        .limit(input?.limit ?? 50);
      return rows.map((m) => ({
        id: m.id,
        to: m.toAddress,
        subject: m.subject,
        text: m.text,
        kind: m.kind,
        status: m.status,
        error: m.error,
        createdAt: m.createdAt.toISOString(),
        sentAt: m.sentAt?.toISOString() ?? null,
      }));
    }),
});

export const adminDashboardRouter = router({
  summary: managerProcedure.input(z.void()).query(async ({ ctx }) => {
    const { pools, users, withdrawals } = ctx.database.schema;
    const now = ctx.clock.now();
    const [aum] = await ctx.database.db
      .select({ equity: sum(pools.equityCents), count: count() })
      .from(pools)
      .where(inArray(pools.status, ['PENDING', 'ACTIVE', 'PAUSED', 'CLOSED', 'SETTLING']));
    const [subscribers] = await ctx.database.db
      .select({ count: count() })
      .from(users)
      .where(gt(users.subscriptionExpiresAt, now));
    const [pending] = await ctx.database.db
      .select({ count: count(), amount: sum(withdrawals.amountCents) })
      .from(withdrawals)
      .where(inArray(withdrawals.status, ['REQUESTED', 'APPROVED']));
    const [investors] = await ctx.database.db
      .select({ count: count() })
      .from(users)
      .where(and(eq(users.role, 'INVESTOR')));
    return {
      aumCents: Number(aum?.equity ?? 0),
      openPools: Number(aum?.count ?? 0),
      activeSubscribers: Number(subscribers?.count ?? 0),
      investors: Number(investors?.count ?? 0),
      pendingWithdrawals: Number(pending?.count ?? 0),
      pendingWithdrawalsCents: Number(pending?.amount ?? 0),
    };
  }),
});
