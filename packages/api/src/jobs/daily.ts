import { REMINDER_BEFORE_MS, SUBSCRIPTION_PRICE_CENTS } from '@tradepool/domain';
import { and, eq, gt, isNotNull, lt, lte, or } from 'drizzle-orm';
import type { ServiceDeps } from '../context';
import { eventsTransaction } from '../services/events/event-store';
import { accounts, InsufficientFunds, transfer } from '../services/money/ledger';
import { dollars, queueMail } from '../services/money/mail';
import { grantPeriod } from '../services/money/payments';
import { announceWallet } from '../services/money/user-events';

export interface DailyResult {
  flagsCleared: number;
  flagsSet: number;
  reminders: number;
  renewed: number;
  renewalsFailed: number;
  pruned: number;
}

/**
 * The daily jobs of DESIGN.md §4, each idempotent so running them twice (or on two processes) does no harm:
 * the cached `hasActiveSubscription` flag follows the expiry, a reminder goes out once per period three days before
 * expiry, opted-in users are renewed from their wallet within a day of expiry, and old idempotency keys (kept 48 h,
 * the contract promises 24), month-old delivery-log rows and ended rate-limit windows are pruned.
 */
export async function runDailyJobs(deps: ServiceDeps): Promise<DailyResult> {
  const { users, idempotencyKeys, webhookDeliveries } = deps.database.schema;
  const now = deps.clock.now();
  const result: DailyResult = {
    flagsCleared: 0,
    flagsSet: 0,
    reminders: 0,
    renewed: 0,
    renewalsFailed: 0,
    pruned: 0,
  };

  const renewBefore = new Date(now.getTime() + 24 * 60 * 60_000);
  const renewals = await deps.database.db
    .select()
    .from(users)
    .where(
      and(
        eq(users.autoRenew, true),
        isNotNull(users.subscriptionExpiresAt),
        lte(users.subscriptionExpiresAt, renewBefore),
      ),
    );
  for (const user of renewals) {
    try {
      await eventsTransaction(deps, async (tx) => {
        const key = `renewal:${user.id}:${user.subscriptionExpiresAt?.toISOString()}`;
        const moved = await transfer(deps.database, tx, {
          from: accounts.cash(user.id),
          to: accounts.revenue,
          amountCents: SUBSCRIPTION_PRICE_CENTS,
          kind: 'SUBSCRIPTION',
          idempotencyKey: key,
          reference: { userId: user.id, source: 'AUTO_RENEWAL' },
          at: now,
        });
        if (!moved) {
          return;
        }
        await grantPeriod(deps, tx, user, { source: 'AUTO_RENEWAL', amountCents: SUBSCRIPTION_PRICE_CENTS });
        await announceWallet(deps, tx, user.id);
        await queueMail(deps, tx, {
          to: user.email,
          subject: 'Your Tradepool subscription was renewed',
          text: `Hello ${user.displayName},\n\nYour subscription was renewed for another month: ${dollars(SUBSCRIPTION_PRICE_CENTS)} from your wallet.\n`,
          kind: 'subscription_renewed',
        });
      });
      result.renewed++;
    } catch (error) {
      if (!(error instanceof InsufficientFunds)) {
        throw error;
      }
      result.renewalsFailed++;
    }
  }

  const reminderCutoff = new Date(now.getTime() + REMINDER_BEFORE_MS);
  const expiring = await deps.database.db
    .select()
    .from(users)
    .where(
      and(
        isNotNull(users.subscriptionExpiresAt),
        gt(users.subscriptionExpiresAt, now),
        lte(users.subscriptionExpiresAt, reminderCutoff),
      ),
    );
  for (const user of expiring) {
    const expiry = user.subscriptionExpiresAt?.toISOString() ?? '';
    const queued = await deps.database.transaction((tx) =>
      queueMail(deps, tx, {
        to: user.email,
        subject: 'Your Tradepool subscription ends in 3 days',
        text: `Hello ${user.displayName},\n\nYour subscription ends on ${expiry.slice(0, 10)}. ${
          user.autoRenew
            ? 'It will renew automatically from your wallet.'
            : 'Renew it from your subscription page to keep investing.'
        }\n`,
        kind: 'subscription_reminder',
        dedupeKey: `reminder:${user.id}:${expiry}`,
      }),
    );
    if (queued) {
      result.reminders++;
    }
  }

  await deps.database.transaction(async (tx) => {
    const cleared = await tx
      .update(users)
      .set({ hasActiveSubscription: false })
      .where(
        and(
          eq(users.hasActiveSubscription, true),
          or(lte(users.subscriptionExpiresAt, now), eq(users.subscriptionExpiresAt, now)),
        ),
      )
      .returning({ id: users.id });
    const set = await tx
      .update(users)
      .set({ hasActiveSubscription: true })
      .where(and(eq(users.hasActiveSubscription, false), gt(users.subscriptionExpiresAt, now)))
      .returning({ id: users.id });
    result.flagsCleared = cleared.length;
    result.flagsSet = set.length;
    const pruned = await tx
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - 48 * 60 * 60_000)))
      .returning({ key: idempotencyKeys.key });
    // The delivery log is for diagnosis, not the record (trades and events are): a month is plenty.
    const oldDeliveries = await tx
      .delete(webhookDeliveries)
      .where(lt(webhookDeliveries.receivedAt, new Date(now.getTime() - 30 * 24 * 60 * 60_000)))
      .returning({ id: webhookDeliveries.id });
    result.pruned = pruned.length + oldDeliveries.length;
  });
  // Rate-limit windows that have ended (on SQLite they live in memory and sweep themselves).
  result.pruned += await deps.limiterStore.prune(now);
  return result;
}
