import { type Db, newId, type Payment } from '@tradepool/db';
import {
  AppError,
  type DepositResultView,
  extendSubscription,
  isSubscriptionActiveAt,
  SUBSCRIPTION_PRICE_CENTS,
  type SubscribeResultView,
} from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { once } from './idempotency';
import { accounts, transfer } from './ledger';
import { dollars, queueMail } from './mail';
import { announceWallet, walletOf } from './user-events';

/** Where Stripe Checkout is started; the demo provider needs none. */
export interface CheckoutGateway {
  createCheckout(input: {
    paymentId: string;
    purpose: 'DEPOSIT' | 'SUBSCRIPTION';
    amountCents: number;
    customerEmail: string;
  }): Promise<{ sessionId: string; url: string }>;
}

export const MAX_DEPOSIT_CENTS = 10_000_000;

/**
 * Books a completed payment exactly once (the status flips PENDING → COMPLETED conditionally): a deposit credits the
 * wallet, a subscription payment extends the subscription by one calendar month from the later of now and expiry.
 */
export async function completePayment(deps: ServiceDeps, tx: Db, paymentId: string): Promise<Payment | null> {
  const { payments, users } = deps.database.schema;
  const now = deps.clock.now();
  const [payment] = await tx
    .update(payments)
    .set({ status: 'COMPLETED', completedAt: now })
    .where(and(eq(payments.id, paymentId), eq(payments.status, 'PENDING')))
    .returning();
  if (!payment) {
    return null;
  }
  const [user] = await tx.select().from(users).where(eq(users.id, payment.userId)).limit(1);
  if (!user) {
    throw new Error(`payment ${paymentId} for a missing user`);
  }
  const label = payment.provider === 'demo' ? 'demo payment' : 'card payment';
  if (payment.purpose === 'DEPOSIT') {
    await transfer(deps.database, tx, {
      from: accounts.external,
      to: accounts.cash(user.id),
      amountCents: payment.amountCents,
      kind: 'DEPOSIT',
      idempotencyKey: `payment:${payment.id}`,
      reference: { paymentId: payment.id, provider: payment.provider },
      at: now,
    });
    await announceWallet(deps, tx, user.id);
    await recordAudit(deps, tx, {
      actor: { id: user.id, email: user.email },
      action: 'wallet.deposit',
      target: { type: 'payment', id: payment.id },
      after: { amountCents: payment.amountCents, provider: payment.provider },
    });
    await queueMail(deps, tx, {
      to: user.email,
      subject: `Deposit received: ${dollars(payment.amountCents)}`,
      text: `Hello ${user.displayName},\n\n${dollars(payment.amountCents)} (${label}) is now in your Tradepool wallet.\n`,
      kind: 'deposit',
    });
    return payment;
  }
  await transfer(deps.database, tx, {
    from: accounts.external,
    to: accounts.revenue,
    amountCents: payment.amountCents,
    kind: 'SUBSCRIPTION',
    idempotencyKey: `payment:${payment.id}`,
    reference: { paymentId: payment.id, userId: user.id, provider: payment.provider },
    at: now,
  });
  await grantPeriod(deps, tx, user, {
    source: 'PAYMENT',
    paymentId: payment.id,
    amountCents: payment.amountCents,
  });
  await queueMail(deps, tx, {
    to: user.email,
    subject: 'Your Tradepool subscription is active',
    text: `Hello ${user.displayName},\n\nThank you: ${dollars(payment.amountCents)} (${label}) received. Your subscription now runs until the date shown on your subscription page.\n`,
    kind: 'subscription_confirmation',
  });
  return payment;
}

/** Extends a user's subscription by one calendar month in the caller's transaction, with its event and audit entry. */
export async function grantPeriod(
  deps: ServiceDeps,
  tx: Db,
  user: { id: string; email: string; subscriptionExpiresAt: Date | null },
  input: { source: 'PAYMENT' | 'AUTO_RENEWAL' | 'GRANT'; paymentId?: string; amountCents: number },
): Promise<Date> {
  const { users, subscriptionPeriods } = deps.database.schema;
  const now = deps.clock.now();
  const period = extendSubscription(user.subscriptionExpiresAt, now);
  await tx
    .update(users)
    .set({ subscriptionExpiresAt: period.endsAt, hasActiveSubscription: true, updatedAt: now })
    .where(eq(users.id, user.id));
  await tx.insert(subscriptionPeriods).values({
    id: newId(),
    userId: user.id,
    startsAt: period.startsAt,
    endsAt: period.endsAt,
    amountCents: input.amountCents,
    source: input.source,
    paymentId: input.paymentId ?? null,
    createdAt: now,
  });
  await appendEvent(deps, tx, {
    type: 'subscription:update',
    userId: user.id,
    data: {
      subscriptionExpiresAt: period.endsAt.toISOString(),
      isSubscriptionActive: isSubscriptionActiveAt(period.endsAt, now),
    },
  });
  await recordAudit(deps, tx, {
    actor: { id: user.id, email: user.email },
    action: 'subscription.extended',
    target: { type: 'user', id: user.id },
    before: { subscriptionExpiresAt: user.subscriptionExpiresAt?.toISOString() ?? null },
    after: { subscriptionExpiresAt: period.endsAt.toISOString(), source: input.source },
  });
  return period.endsAt;
}

async function startPayment(
  ctx: Context,
  input: { purpose: 'DEPOSIT' | 'SUBSCRIPTION'; amountCents: number; idempotencyKey?: string | null },
): Promise<{ completed: Payment | null; checkoutUrl: string | null }> {
  const user = requireUser(ctx);
  const { payments } = ctx.database.schema;
  if (ctx.config.paymentProvider === 'demo') {
    const { value } = await eventsTransaction(ctx, async (tx) =>
      once(
        ctx,
        tx,
        {
          userId: user.id,
          key: input.idempotencyKey,
          operation: `payment:${input.purpose}`,
          body: input.amountCents,
        },
        async () => {
          const id = newId();
          await tx.insert(payments).values({
            id,
            userId: user.id,
            purpose: input.purpose,
            amountCents: input.amountCents,
            provider: 'demo',
            providerRef: null,
            status: 'PENDING',
            createdAt: ctx.clock.now(),
          });
          await completePayment(ctx, tx, id);
          return { paymentId: id };
        },
      ),
    );
    const [completed] = await ctx.database.db
      .select()
      .from(payments)
      .where(eq(payments.id, String(value.paymentId)))
      .limit(1);
    return { completed: completed ?? null, checkoutUrl: null };
  }
  const gateway = ctx.checkout;
  if (!gateway) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Card payments are not configured');
  }
  const id = newId();
  await ctx.database.transaction(async (tx) => {
    await tx.insert(payments).values({
      id,
      userId: user.id,
      purpose: input.purpose,
      amountCents: input.amountCents,
      provider: 'stripe',
      status: 'PENDING',
      createdAt: ctx.clock.now(),
    });
  });
  const session = await gateway.createCheckout({
    paymentId: id,
    purpose: input.purpose,
    amountCents: input.amountCents,
    customerEmail: user.email,
  });
  await ctx.database.transaction(async (tx) => {
    await tx.update(payments).set({ providerRef: session.sessionId }).where(eq(payments.id, id));
  });
  return { completed: null, checkoutUrl: session.url };
}

export async function deposit(
  ctx: Context,
  amountCents: number,
  idempotencyKey?: string | null,
): Promise<DepositResultView> {
  if (amountCents > MAX_DEPOSIT_CENTS) {
    throw new AppError('BAD_REQUEST', `Invalid input: amountCents must be at most ${MAX_DEPOSIT_CENTS}`, {
      fields: { amountCents: `must be at most ${MAX_DEPOSIT_CENTS}` },
    });
  }
  const result = await startPayment(ctx, { purpose: 'DEPOSIT', amountCents, idempotencyKey });
  if (result.checkoutUrl) {
    return { checkoutUrl: result.checkoutUrl };
  }
  const wallet = await walletOf(ctx, ctx.database.db, requireUser(ctx).id);
  return { balanceCents: wallet.balanceCents };
}

export async function subscribe(ctx: Context, idempotencyKey?: string | null): Promise<SubscribeResultView> {
  const result = await startPayment(ctx, {
    purpose: 'SUBSCRIPTION',
    amountCents: SUBSCRIPTION_PRICE_CENTS,
    idempotencyKey,
  });
  if (result.checkoutUrl) {
    return { checkoutUrl: result.checkoutUrl };
  }
  const { users } = ctx.database.schema;
  const [user] = await ctx.database.db
    .select()
    .from(users)
    .where(eq(users.id, requireUser(ctx).id))
    .limit(1);
  return { subscriptionExpiresAt: user?.subscriptionExpiresAt?.toISOString() ?? null };
}
