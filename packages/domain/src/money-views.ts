import { z } from 'zod';
import { InvestmentStatusSchema, WithdrawalStatusSchema } from './enums';
import { PAYMENT_PROVIDERS, SUBSCRIPTION_SOURCES } from './vocabulary';

/**
 * The money shapes clients receive, declared once: each is the `.output()` of the procedures answering it and, through
 * its inferred type, the return type of the service building it.
 */

export const InvestmentViewSchema = z.object({
  id: z.string(),
  poolId: z.string(),
  amountCents: z.number().int(),
  shares: z.string(),
  status: InvestmentStatusSchema,
  payoutCents: z.number().int().nullable(),
  feeCents: z.number().int().nullable(),
  createdAt: z.string(),
});
export type InvestmentView = z.infer<typeof InvestmentViewSchema>;

export const WithdrawalViewSchema = z.object({
  id: z.string(),
  userId: z.string(),
  amountCents: z.number().int(),
  status: WithdrawalStatusSchema,
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  /** Where the investor asked to be paid; null on requests made before it was asked for (or through old clients). */
  payoutDestination: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
});
export type WithdrawalView = z.infer<typeof WithdrawalViewSchema>;

export const WalletViewSchema = z.object({ balanceCents: z.number().int(), heldCents: z.number().int() });
export type WalletView = z.infer<typeof WalletViewSchema>;

/** One transfer touching the caller's cash or held account, as the change of each balance. */
export const WalletHistoryEntrySchema = z.object({
  id: z.string(),
  /** The transfer's kind (`TRANSFER_KINDS`), as stored. */
  kind: z.string(),
  at: z.string(),
  /** Change of the spendable balance (negative when money left it). */
  cashDeltaCents: z.number().int(),
  heldDeltaCents: z.number().int(),
  reference: z.record(z.string(), z.unknown()).nullable(),
});
export type WalletHistoryEntry = z.infer<typeof WalletHistoryEntrySchema>;

export const SubscriptionStatusViewSchema = z.object({
  subscriptionExpiresAt: z.string().nullable(),
  isSubscriptionActive: z.boolean(),
  autoRenew: z.boolean(),
  priceCents: z.number().int(),
  paymentProvider: z.enum(PAYMENT_PROVIDERS),
  periods: z.array(
    z.object({
      id: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      amountCents: z.number().int(),
      source: z.enum(SUBSCRIPTION_SOURCES),
    }),
  ),
});
export type SubscriptionStatusView = z.infer<typeof SubscriptionStatusViewSchema>;

export const AutoRenewViewSchema = z.object({ autoRenew: z.boolean() });
export type AutoRenewView = z.infer<typeof AutoRenewViewSchema>;

/** A newest-first page of a cursor-paged list; `nextCursor` is null on the last page. */
function cursorPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    nextCursor: z.string().nullable(),
  });
}

export const InvestmentPageViewSchema = cursorPage(InvestmentViewSchema);
export type InvestmentPageView = z.infer<typeof InvestmentPageViewSchema>;

export const WithdrawalPageViewSchema = cursorPage(WithdrawalViewSchema);
export type WithdrawalPageView = z.infer<typeof WithdrawalPageViewSchema>;

/** A deposit: the new balance when paid at once (demo), else the checkout page to pay on. */
export const DepositResultViewSchema = z.union([
  z.object({ balanceCents: z.number().int() }),
  z.object({ checkoutUrl: z.string() }),
]);
export type DepositResultView = z.infer<typeof DepositResultViewSchema>;

/** A subscription payment: the new expiry when paid at once (demo), else the checkout page to pay on. */
export const SubscribeResultViewSchema = z.union([
  z.object({ subscriptionExpiresAt: z.string().nullable() }),
  z.object({ checkoutUrl: z.string() }),
]);
export type SubscribeResultView = z.infer<typeof SubscribeResultViewSchema>;

/** An investor's statement for one pool (CONTRACT §6). */
export const PoolStatementViewSchema = z.object({
  poolId: z.string(),
  status: z.string(),
  investedCents: z.number().int(),
  shares: z.string(),
  navPerShare: z.string(),
  valueCents: z.number().int(),
  profitCents: z.number().int(),
  /** Known once the pool is settled. */
  feeCents: z.number().int().nullable(),
  payoutCents: z.number().int().nullable(),
});
export type PoolStatementView = z.infer<typeof PoolStatementViewSchema>;

export const PoolStatementListViewSchema = z.object({ items: z.array(PoolStatementViewSchema) });
export type PoolStatementListView = z.infer<typeof PoolStatementListViewSchema>;

/** One movement of the caller's wallet, as the statement lists it. */
export const WalletTransactionViewSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  description: z.string(),
  /** Change of the spendable balance, signed from the user's point of view. */
  amountCents: z.number().int(),
  /** Change of the funds held for withdrawals. */
  heldCents: z.number().int(),
  poolId: z.string().nullable(),
});
export type WalletTransactionView = z.infer<typeof WalletTransactionViewSchema>;

export const WalletTransactionPageViewSchema = cursorPage(WalletTransactionViewSchema);
export type WalletTransactionPageView = z.infer<typeof WalletTransactionPageViewSchema>;

/** A settlement, previewed or done: the final equity, its bounds, and what each investment is paid. */
export const SettlementViewSchema = z.object({
  poolId: z.string(),
  finalEquityCents: z.number().int(),
  /** The equity the model's last report supports (capital + PnL): what is paid out unless an ADMIN overrides it. */
  defaultFinalEquityCents: z
    .number()
    .int()
    .describe("the equity the model's last report supports: capital + PnL"),
  /** The inclusive range an ADMIN override may take (within 5 % of the default). */
  overrideMinCents: z.number().int().describe('lowest final equity an ADMIN override may set (−5 %)'),
  overrideMaxCents: z.number().int().describe('highest final equity an ADMIN override may set (+5 %)'),
  /** The final equity differs from the default (an audited ADMIN override). */
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
export type SettlementView = z.infer<typeof SettlementViewSchema>;
