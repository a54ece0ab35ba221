import type { CheckoutGateway } from '@tradepool/api/server';
import Stripe from 'stripe';
import type { Env } from './env';

const clients = new WeakMap<NonNullable<Env['stripe']>, Stripe>();

/**
 * The one SDK client of a Stripe configuration: checkout (services.ts) and the webhook route share it, so its HTTP
 * agent and retry settings exist once per process.
 */
export function stripeClient(stripe: NonNullable<Env['stripe']>): Stripe {
  let client = clients.get(stripe);
  if (!client) {
    client = createStripeClient(stripe);
    clients.set(stripe, client);
  }
  return client;
}

/** The official SDK; STRIPE_API_URL points it elsewhere (the test suite's local fake of the Stripe API). */
function createStripeClient(stripe: NonNullable<Env['stripe']>): Stripe {
  const api = stripe.apiUrl ? new URL(stripe.apiUrl) : null;
  return new Stripe(stripe.secretKey, {
    ...(api
      ? {
          host: api.hostname,
          port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)),
          protocol: api.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
    maxNetworkRetries: 2,
    timeout: 15_000,
  });
}

/** Stripe Checkout for deposits and the subscription; the payment id travels in the session's metadata. */
export function stripeCheckout(stripe: Stripe, publicUrl: string): CheckoutGateway {
  return {
    async createCheckout(input) {
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        customer_email: input.customerEmail,
        client_reference_id: input.paymentId,
        metadata: { paymentId: input.paymentId, purpose: input.purpose },
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: input.amountCents,
              product_data: {
                name:
                  input.purpose === 'SUBSCRIPTION'
                    ? 'Tradepool subscription (1 month)'
                    : 'Tradepool wallet deposit',
              },
            },
          },
        ],
        success_url: `${publicUrl}/${input.purpose === 'SUBSCRIPTION' ? 'subscription' : 'wallet'}?payment=success`,
        cancel_url: `${publicUrl}/${input.purpose === 'SUBSCRIPTION' ? 'subscription' : 'wallet'}?payment=cancelled`,
      });
      if (!session.url) {
        throw new Error('Stripe returned a checkout session without a URL');
      }
      return { sessionId: session.id, url: session.url };
    },
  };
}
