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
