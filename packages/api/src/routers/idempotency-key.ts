import { AppError } from '@tradepool/domain';
import type { Context } from '../context';

/** `Idempotency-Key`: any visible ASCII up to 255 characters. */
export function idempotencyKeyOf(ctx: Context): string | null {
  const key = ctx.idempotencyKey;
  if (key === null) {
    return null;
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new AppError('BAD_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      fields: { 'Idempotency-Key': 'must be 1 to 255 visible ASCII characters' },
    });
  }
  return key;
}
