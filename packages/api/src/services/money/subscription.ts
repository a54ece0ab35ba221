import {
  AppError,
  type AutoRenewView,
  isSubscriptionActiveAt,
  SUBSCRIPTION_PRICE_CENTS,
  type SubscriptionStatusView,
} from '@tradepool/domain';
import { desc, eq } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';

/** The caller's subscription: expiry, auto-renewal, price, provider and the last 100 periods, newest first. */
export async function subscriptionStatus(ctx: Context): Promise<SubscriptionStatusView> {
  const sessionUser = requireUser(ctx);
  const { users, subscriptionPeriods } = ctx.database.schema;
  const [user] = await ctx.database.db.select().from(users).where(eq(users.id, sessionUser.id)).limit(1);
  const periods = await ctx.database.db
    .select()
    .from(subscriptionPeriods)
    .where(eq(subscriptionPeriods.userId, sessionUser.id))
    .orderBy(desc(subscriptionPeriods.startsAt))
    .limit(100);
  const now = ctx.clock.now();
  return {
    subscriptionExpiresAt: user?.subscriptionExpiresAt?.toISOString() ?? null,
    isSubscriptionActive:
      !!user?.subscriptionExpiresAt && user.subscriptionExpiresAt.getTime() > now.getTime(),
    autoRenew: user?.autoRenew ?? false,
    priceCents: SUBSCRIPTION_PRICE_CENTS,
    paymentProvider: ctx.config.paymentProvider,
    periods: periods.map((p) => ({
      id: p.id,
      startsAt: p.startsAt.toISOString(),
      endsAt: p.endsAt.toISOString(),
      amountCents: p.amountCents,
      source: p.source,
    })),
  };
}

/**
 * Turns monthly auto-renewal on or off, with its audit entry and a `subscription:update` event in the same
 * transaction, so the user's other tabs learn of it like any other change of their subscription.
 */
export async function setAutoRenew(ctx: Context, autoRenew: boolean): Promise<AutoRenewView> {
  const sessionUser = requireUser(ctx);
  const { users } = ctx.database.schema;
  await eventsTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, sessionUser.id)).limit(1);
    if (!before) {
      throw new AppError('UNAUTHORIZED', 'Sign in required');
    }
    const now = ctx.clock.now();
    await tx.update(users).set({ autoRenew, updatedAt: now }).where(eq(users.id, before.id));
    await appendEvent(ctx, tx, {
      type: 'subscription:update',
      userId: before.id,
      data: {
        subscriptionExpiresAt: before.subscriptionExpiresAt?.toISOString() ?? null,
        isSubscriptionActive: isSubscriptionActiveAt(before.subscriptionExpiresAt, now),
        autoRenew,
      },
    });
    await recordAudit(ctx, tx, {
      actor: { id: before.id, email: before.email },
      action: 'subscription.auto_renew_changed',
      target: { type: 'user', id: before.id },
      before: { autoRenew: before.autoRenew },
      after: { autoRenew },
      ip: ctx.ip,
    });
  });
  return { autoRenew };
}
