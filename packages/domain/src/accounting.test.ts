import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolEquity, reportToleranceCents, settlementOverrideBounds, sharesAtCurrentNav } from './accounting';
import { navMicros } from './money';

describe('pool accounting arithmetic', () => {
  it('equity is capital + PnL, never below zero; the report tolerance is the larger of $1 and 0.1 % of capital', () => {
    expect(poolEquity(100_000, 2_500, -500)).toBe(102_000);
    expect(poolEquity(100_000, -150_000, 0)).toBe(0);
    expect(reportToleranceCents(0)).toBe(100);
    expect(reportToleranceCents(99_999)).toBe(100);
    expect(reportToleranceCents(1_000_000)).toBe(1_000);
  });

  it('override bounds stay inside 5 % of the reported equity', () => {
    expect(settlementOverrideBounds(150_300)).toEqual({ minCents: 142_785, maxCents: 157_815 });
    expect(settlementOverrideBounds(0)).toEqual({ minCents: 0, maxCents: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (equity) => {
        const { minCents, maxCents } = settlementOverrideBounds(equity);
        expect(minCents * 100).toBeGreaterThanOrEqual(equity * 95);
        expect(maxCents * 100).toBeLessThanOrEqual(equity * 105);
        expect(minCents).toBeLessThanOrEqual(equity);
        expect(maxCents).toBeGreaterThanOrEqual(equity);
      }),
    );
  });

  it('an investment at the current NAV leaves the NAV shown unchanged and never dilutes by more than the rounding', () => {
    fc.assert(
      fc.property(
        // Pools from $10 to $10M at NAVs from 0.2 to 20, investments from $1 to $100k.
        fc.integer({ min: 1_000, max: 1_000_000_000 }),
        fc.integer({ min: 200_000, max: 20_000_000 }),
        fc.integer({ min: 100, max: 10_000_000 }),
        (equity, navMicrosWanted, amount) => {
          const shares = Number((BigInt(equity) * 10_000_000_000n) / BigInt(navMicrosWanted));
          fc.pre(shares > 0 && Number.isSafeInteger(shares));
          const before = navMicros(equity, shares);
          const bought = sharesAtCurrentNav(equity, shares, amount);
          const after = navMicros(equity + amount, shares + Number(bought));
          // Exactly unchanged whenever some whole micro-share count can keep it: (E + X)·10^10 ≥ NAV·(NAV + 1), e.g.
          // a pool worth $1 at NAV 1 or $100 at NAV 10. Below that the shown NAV may rise by one micro-dollar.
          if (BigInt(equity + amount) * 10_000_000_000n >= before * (before + 1n)) {
            expect(after).toBe(before);
          } else {
            // Tiny pools at high NAVs, where one micro-share is worth several micro-dollars of NAV: the NAV rises by
            // at most that step, never falls.
            expect(after - before).toBeGreaterThanOrEqual(0n);
            expect(after - before).toBeLessThanOrEqual(before / (BigInt(shares) + bought) + 1n);
          }
          // At least the exact X·S/E rounded down: existing holders are never diluted by more than that rounding.
          expect(bought).toBeGreaterThanOrEqual((BigInt(amount) * BigInt(shares)) / BigInt(equity));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('buys at par when nothing is outstanding', () => {
    expect(sharesAtCurrentNav(0, 0, 12_345)).toBe(123_450_000n);
  });

  it('a $10 pool at NAV 3.918482 cannot keep the NAV to the micro-dollar: it rises by one, nobody is diluted', () => {
    const shares = Number((1_000n * 10_000_000_000n) / 3_918_482n);
    const bought = sharesAtCurrentNav(1_000, shares, 100);
    expect(navMicros(1_100, shares + Number(bought))).toBe(navMicros(1_000, shares) + 1n);
  });
});
