import { describe, expect, it } from 'vitest';
import { formatMicros, navPerShare } from './money';

describe('NAV per share', () => {
  it('is 1.000000 with no shares, and equity/shares to 6 places otherwise', () => {
    expect(navPerShare(0, 0)).toBe('1.000000');
    // $1,000.00 of capital as 1,000 shares, now worth $1,052.3456
    expect(navPerShare(105_234, 1_000_000_000)).toBe('1.052340');
    expect(navPerShare(100_000_000_000, 1_000_000_000_000_000)).toBe('1.000000');
  });

  it('formats micros exactly, including large and negative values', () => {
    expect(formatMicros(1_052_345n)).toBe('1.052345');
    expect(formatMicros(5n)).toBe('0.000005');
    expect(formatMicros(-1_500_000n)).toBe('-1.500000');
    expect(formatMicros(9_007_199_254_740_993_000_000n)).toBe('9007199254740993.000000');
  });
});
