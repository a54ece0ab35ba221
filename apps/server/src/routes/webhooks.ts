import { handleStripeEvent, type ServiceDeps } from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import type Stripe from 'stripe';
import { createRouter } from '../create-app';
import type { Env } from '../env';
import { errorResponse } from '../http-errors';
import { stripeClient } from '../stripe';

/**
 * Stripe's webhook: a signed raw body, each event applied once. The trading model's webhook is answered before Hono,
 * from Node's request (webhook-model-node.ts).
 */
export function webhookRoutes(deps: { env: Env; services: ServiceDeps }) {
  const { env, services } = deps;
  const routes = createRouter();

  // Stripe's signed webhook: verified by the SDK on the raw body, each event applied once.
  const stripe = env.stripe ? stripeClient(env.stripe) : null;
  routes.post('/api/v1/webhook/payments/stripe', async (c) => {
    if (!stripe || !env.stripe) {
      return errorResponse(
        c,
        new AppError('NOT_FOUND', 'Stripe payments are not enabled (PAYMENT_PROVIDER=demo)'),
      );
    }
    const body = await c.req.text();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(
        body,
        c.req.header('stripe-signature') ?? '',
        env.stripe.webhookSecret,
      );
    } catch (error) {
      c.get('log').warn(
        { err: error instanceof Error ? error.message : String(error) },
        'stripe webhook refused',
      );
      return errorResponse(c, new AppError('UNAUTHORIZED', 'Invalid Stripe signature'));
    }
    const object = event.data.object as { metadata?: Record<string, string> | null };
    const result = await handleStripeEvent(services, {
      id: event.id,
      type: event.type,
      paymentId: object.metadata?.paymentId ?? null,
    });
    return c.json({ received: true, ...result });
  });

  return routes;
}
