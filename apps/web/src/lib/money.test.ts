import { describe, expect, it } from 'vitest';
import { sharesFor, valueOfShares } from './money';

describe('valueOfShares', () => {
  it('shows an investment made at any NAV as worth what was paid, as the statement does', () => {
    // $1,000 at NAV 1.007078 mints 992.971745 shares, worth $999.999999…: the statement says $1,000.00.
    const shares = sharesFor(100_000, '1.007078');
    expect(shares).toBe('992.971745');
    expect(valueOfShares(shares ?? '', '1.007078')).toBe(100_000);
  });

  it('rounds half a cent up and less than half down', () => {
    expect(valueOfShares('1.000000', '0.005000')).toBe(1);
    expect(valueOfShares('1.000000', '0.004999')).toBe(0);
    expect(valueOfShares('3.000000', '1.000000')).toBe(300);
  });

  it('answers null for values that are not decimals', () => {
    expect(valueOfShares('abc', '1.000000')).toBeNull();
  });
});
