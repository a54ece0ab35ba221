import { describe, expect, it } from 'vitest';
import { keyPart, newIdempotencyKey } from './idempotency';

/** The server's rule for the header (packages/api/src/routers/idempotency-key.ts): visible ASCII, 1 to 255. */
const HEADER_RULE = /^[\x21-\x7e]{1,255}$/;

describe('idempotency keys', () => {
  it('a withdrawal key stays a valid header whatever the payout destination says', () => {
    // The key once carried the destination as typed: its spaces made the server refuse every withdrawal.
    for (const destination of [
      'DE89 3704 0044 0532 0130 00, E2E Investor',
      'FR14 2004 1010 0505 0001 3M02 606, Jürgen Müller-Lüdenscheidt',
      `Chase, routing 021000021, account 123456789, ${'x'.repeat(150)}`,
    ]) {
      expect(`withdraw:${newIdempotencyKey()}:25000:${keyPart(destination)}`).toMatch(HEADER_RULE);
    }
  });

  it('the part changes with the text and only with it', () => {
    expect(keyPart('DE89 3704 0044 0532 0130 00, Jane Doe')).toBe(
      keyPart('DE89 3704 0044 0532 0130 00, Jane Doe'),
    );
    expect(keyPart('DE89 3704 0044 0532 0130 00, Jane Doe')).not.toBe(
      keyPart('DE89 3704 0044 0532 0130 00, Jane Roe'),
    );
    expect(keyPart('')).toMatch(/^[0-9a-f]{16}$/);
  });
});
