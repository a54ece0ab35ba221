import {
  handleStripeEvent,
  ingestModelWebhook,
  MAX_BODY_BYTES,
  type ServiceDeps,
  WebhookRefusalLimit,
} from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type Stripe from 'stripe';
import { type AppEnv, createRouter } from '../create-app';
import type { Env } from '../env';
import { errorResponse } from '../http-errors';
import { stripeClient } from '../stripe';

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body) {
    return;
  }
  try {
    const reader = body.getReader();
    for (;;) {
      const { done } = await reader.read();
      if (done) {
        return;
      }
    }
  } catch {
    // Already consumed or aborted: nothing left to drain.
  }
}

/** The trading model's webhook and Stripe's: signed raw bodies, each delivery applied once. */
export function webhookRoutes(deps: { env: Env; services: ServiceDeps }) {
  const { env, services } = deps;
  const routes = createRouter();

  // The trading model's webhook: raw body (the signature covers the exact bytes), its own 256 KiB limit. Not under
  // the per-IP request limit (a busy model posts often), but its refusals are, in the shared limiter store (CONTRACT §8).
  const webhookRefusals = new WebhookRefusalLimit(
    services.limiterStore,
    services.clock,
    env.webhookRefusalsPerMin,
    services.log,
  );
  const webhookAnswer = (c: Context<AppEnv>, answer: Awaited<ReturnType<typeof ingestModelWebhook>>) => {
    if (answer.retryAfterSec !== undefined) {
      c.header('Retry-After', String(answer.retryAfterSec));
    }
    return c.json(answer.body, answer.status as ContentfulStatusCode);
  };
  routes.post(
    '/api/v1/webhook/model',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        // Read and drop what the client is still sending (the global 1 MiB limit bounds it), so it gets the 413
        // instead of a reset connection.
        await drain(c.req.raw.body);
        const answer = await ingestModelWebhook(services, {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
          body: '',
          bytes: Number(c.req.header('content-length') ?? MAX_BODY_BYTES + 1),
          ip: c.get('ip'),
          refusals: webhookRefusals,
        });
        return webhookAnswer(c, answer);
      },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const answer = await ingestModelWebhook(services, {
        id: c.req.header('webhook-id'),
        timestamp: c.req.header('webhook-timestamp'),
        signature: c.req.header('webhook-signature'),
        body: new TextDecoder().decode(bytes),
        bytes: bytes.byteLength,
        ip: c.get('ip'),
        refusals: webhookRefusals,
      });
      return webhookAnswer(c, answer);
    },
  );

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
