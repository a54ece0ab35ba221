import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks: a delivery more than five minutes away from our clock, either way, is refused. */
export const TOLERANCE_SEC = 5 * 60;

export type SignatureCheck = { ok: true; timestamp: Date } | { ok: false; reason: string };

/** The raw key of a `whsec_…` secret (base64 after the prefix). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) {
    throw new Error('empty webhook secret');
  }
  return key;
}

export function sign(key: Buffer, id: string, timestampSec: number, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64');
}

/**
 * Verifies a delivery per the Standard Webhooks specification against every currently valid key (rotation): HMAC-SHA256
 * of `{id}.{timestamp}.{raw body}`, any of the space-separated `v1,` signatures may match, compared in constant time.
 * The body must be the exact bytes received: a re-serialised body does not match.
 */
export function verifySignature(input: {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  keys: Buffer[];
  now: Date;
}): SignatureCheck {
  if (!input.id || !input.timestamp || !input.signature) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  }
  if (!/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, reason: 'webhook-timestamp is not unix seconds' };
  }
  const timestampSec = Number(input.timestamp);
  const nowSec = Math.floor(input.now.getTime() / 1000);
  if (Math.abs(nowSec - timestampSec) > TOLERANCE_SEC) {
    return { ok: false, reason: 'webhook-timestamp is more than 5 minutes off' };
  }
  const offered = input.signature
    .split(' ')
    .map((part) => part.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value ?? '', 'base64'));
  for (const key of input.keys) {
    const expected = Buffer.from(sign(key, input.id, timestampSec, input.body), 'base64');
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return { ok: true, timestamp: new Date(timestampSec * 1000) };
      }
    }
  }
  return { ok: false, reason: 'no valid signature' };
}
