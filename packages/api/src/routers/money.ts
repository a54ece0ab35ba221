import { AppError, Cents, PayoutDestination } from '@tradepool/domain';
import { desc, eq, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Context } from '../context';
import { cancelInvestment, invest, listInvestments } from '../services/money/investments';
import { accounts } from '../services/money/ledger';
import { PageInput } from '../services/money/paging';
import { deposit, subscribe } from '../services/money/payments';
import { walletOf } from '../services/money/user-events';
import { decideWithdrawal, listWithdrawals, requestWithdrawal } from '../services/money/withdrawals';
import { protectedProcedure, router } from '../trpc';

/** `Idempotency-Key`: any visible ASCII up to 255 characters. */
export function idempotencyKeyOf(ctx: Context): string | null {
  const key = ctx.idempotencyKey;
  if (key === null) {
    return null;
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('BAD_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      fields: { 'Idempotency-Key': 'must be 1 to 255 visible ASCII characters' },
    });
  }
  return key;
}

const AmountInput = z.strictObject({ amountCents: Cents });

export const InvestmentOutput = z.object({
  id: z.string(),
  poolId: z.string(),
  amountCents: z.number().int(),
  shares: z.string(),
  status: z.enum(['ACTIVE', 'CANCELLED', 'REFUNDED', 'SETTLED']),
  payoutCents: z.number().int().nullable(),
  feeCents: z.number().int().nullable(),
  createdAt: z.string(),
});

export const WithdrawalOutput = z.object({
  id: z.string(),
  userId: z.string(),
  amountCents: z.number().int(),
  status: z.enum(['REQUESTED', 'APPROVED', 'PAID', 'REJECTED', 'CANCELLED']),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  payoutDestination: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
});

const WalletOutput = z.object({ balanceCents: z.number().int(), heldCents: z.number().int() });

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
    .output(WalletOutput)
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
    .output(z.union([z.object({ balanceCents: z.number().int() }), z.object({ checkoutUrl: z.string() })]))
    .mutation(({ ctx, input }) => deposit(ctx, input.amountCents, idempotencyKeyOf(ctx))),
  history: protectedProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .query(async ({ ctx, input }) => {
      const { ledgerTransfers } = ctx.database.schema;
      const cash = accounts.cash(ctx.user.id).id;
      const held = accounts.held(ctx.user.id).id;
      const rows = await ctx.database.db
        .select()
        .from(ledgerTransfers)
        .where(
          or(
            eq(ledgerTransfers.fromAccountId, cash),
            eq(ledgerTransfers.toAccountId, cash),
            eq(ledgerTransfers.fromAccountId, held),
            eq(ledgerTransfers.toAccountId, held),
          ),
        )
        .orderBy(desc(ledgerTransfers.createdAt), desc(ledgerTransfers.id))
        .limit(input?.limit ?? 50);
      return rows.map((t) => ({
        id: t.id,
        kind: t.kind,
        at: t.createdAt.toISOString(),
        /** Change of the spendable balance (negative when money left it). */
        cashDeltaCents:
          (t.toAccountId === cash ? t.amountCents : 0) - (t.fromAccountId === cash ? t.amountCents : 0),
        heldDeltaCents:
          (t.toAccountId === held ? t.amountCents : 0) - (t.fromAccountId === held ? t.amountCents : 0),
        reference: t.reference,
      }));
    }),
});

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
    .output(
      z.union([
        z.object({ subscriptionExpiresAt: z.string().nullable() }),
        z.object({ checkoutUrl: z.string() }),
      ]),
    )
    .mutation(({ ctx }) => subscribe(ctx, idempotencyKeyOf(ctx))),
  status: protectedProcedure.input(z.void()).query(async ({ ctx }) => {
    const { users, subscriptionPeriods } = ctx.database.schema;
    const [user] = await ctx.database.db.select().from(users).where(eq(users.id, ctx.user.id)).limit(1);
    const periods = await ctx.database.db
      .select()
      .from(subscriptionPeriods)
      .where(eq(subscriptionPeriods.userId, ctx.user.id))
      .orderBy(desc(subscriptionPeriods.startsAt))
      .limit(100);
    const now = ctx.clock.now();
    return {
      subscriptionExpiresAt: user?.subscriptionExpiresAt?.toISOString() ?? null,
      isSubscriptionActive:
        !!user?.subscriptionExpiresAt && user.subscriptionExpiresAt.getTime() > now.getTime(),
      autoRenew: user?.autoRenew ?? false,
      priceCents: 200,
      paymentProvider: ctx.config.paymentProvider,
      periods: periods.map((p) => ({
        id: p.id,
        startsAt: p.startsAt.toISOString(),
        endsAt: p.endsAt.toISOString(),
        amountCents: p.amountCents,
        source: p.source,
      })),
    };
  }),
  setAutoRenew: protectedProcedure
    .input(z.strictObject({ autoRenew: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { users } = ctx.database.schema;
      await ctx.database.transaction(async (tx) => {
        await tx
          .update(users)
          .set({ autoRenew: input.autoRenew, updatedAt: ctx.clock.now() })
          .where(eq(users.id, ctx.user.id));
      });
      return { autoRenew: input.autoRenew };
    }),
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

export const withdrawalsRouter = router({
  create: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/withdrawals',
        tags: ['withdrawals'],
        summary: 'Request a withdrawal (funds are held)',
      },
      successStatus: 201,
    })
    .input(
      // `payoutDestination` is optional: clients written before it existed keep working (additive, CONTRACT §3).
      z.strictObject({ amountCents: Cents, payoutDestination: PayoutDestination.optional() }),
    )
    .output(WithdrawalOutput)
    .mutation(({ ctx, input }) =>
      requestWithdrawal(ctx, input.amountCents, idempotencyKeyOf(ctx), input.payoutDestination),
    ),
  list: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/withdrawals',
        tags: ['withdrawals'],
        summary: 'Your withdrawals, newest first (ADMIN: ?all=true; cursor-paged: ?cursor=&limit=)',
      },
    })
    .input(
      z.strictObject({
        all: z.preprocess((v) => v === true || v === 'true', z.boolean()).optional(),
        status: z.enum(['REQUESTED', 'APPROVED', 'PAID', 'REJECTED', 'CANCELLED']).optional(),
        ...PageInput,
      }),
    )
    .output(z.object({ items: z.array(WithdrawalOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listWithdrawals(ctx, input)),
  cancel: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/withdrawals/{id}/cancel',
        tags: ['withdrawals'],
        summary: 'Cancel while REQUESTED',
      },
    })
    .input(z.strictObject({ id: z.string().min(1).max(64) }))
    .output(WithdrawalOutput)
    .mutation(({ ctx, input }) => decideWithdrawal(ctx, input.id, { action: 'cancel' })),
});
