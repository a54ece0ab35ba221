import { createHmac, randomBytes } from 'node:crypto';
import { type APIRequestContext, expect } from '@playwright/test';
import { MODEL_WEBHOOK_SECRET } from './env';

export interface ModelEvent {
  event: 'trade_executed' | 'position_update' | 'pnl_update' | 'pool_update';
  poolId: string;
  data: Record<string, unknown>;
}

/**
 * The Standard Webhooks signature (CONTRACT.md §4): base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with
 * the base64 part of the secret after `whsec_`, sent as `v1,<signature>`.
 */
export function signModelWebhook(
  id: string,
  timestamp: number,
  body: string,
  secret = MODEL_WEBHOOK_SECRET,
): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Posts one signed model event, as the external trading model does, and answers with the HTTP status. */
export async function postModelEvent(request: APIRequestContext, event: ModelEvent): Promise<number> {
  const id = `msg_e2e_${randomBytes(8).toString('hex')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify(event);
  const response = await request.post('/api/v1/webhook/model', {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signModelWebhook(id, timestamp, body),
    },
    data: body,
  });
  return response.status();
}

/** Posts a model event that must be accepted (202). */
export async function sendModelEvent(request: APIRequestContext, event: ModelEvent): Promise<void> {
  expect(await postModelEvent(request, event), `${event.event} accepted`).toBe(202);
}
