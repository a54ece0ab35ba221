import { describe, expect, it } from 'vitest';
import { AppError, REFUSAL } from './errors';
import { REFUSAL_REASONS } from './vocabulary';

describe('REFUSAL', () => {
  it('names every refusal reason of the vocabulary, each as itself', () => {
    expect(Object.keys(REFUSAL)).toEqual([...REFUSAL_REASONS]);
    for (const reason of REFUSAL_REASONS) {
      expect(REFUSAL[reason]).toBe(reason);
    }
  });

  it('reaches the error body as details.reason', () => {
    const error = new AppError('CONFLICT', 'Not enough money', {
      details: { reason: REFUSAL.INSUFFICIENT_FUNDS },
    });
    expect(error.toBody()).toEqual({
      code: 'CONFLICT',
      message: 'Not enough money',
      reason: 'INSUFFICIENT_FUNDS',
    });
  });
});
