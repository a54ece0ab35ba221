import { AppError } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { eventsTransaction } from '../events/event-store';
import { completePayment } from './payments';

/**
 * Applies a verified Stripe event once (by event id). `checkout.session.completed` completes the payment it was
 * created for; other event types are acknowledged and ignored.
 */
export async function handleStripeEvent(
  deps: ServiceDeps,
  event: { id: string; type: string; paymentId: string | null },
): Promise<{ handled: boolean; duplicate: boolean }> {
  const { stripeEvents, payments } = deps.database.schema;
  return eventsTransaction(deps, async (tx) => {
    const claimed = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, receivedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (claimed.length === 0) {
      return { handled: false, duplicate: true };
    }
    if (event.type !== 'checkout.session.completed') {
      return { handled: false, duplicate: false };
    }
    if (!event.paymentId) {
      throw new AppError('BAD_REQUEST', 'checkout.session.completed without a paymentId in its metadata');
    }
    const [payment] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(eq(payments.id, event.paymentId))
      .limit(1);
    if (!payment) {
      throw new AppError('NOT_FOUND', `No payment ${event.paymentId}`);
    }
    await completePayment(deps, tx, payment.id);
    return { handled: true, duplicate: false };
  });
}
