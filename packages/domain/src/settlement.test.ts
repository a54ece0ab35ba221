import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, settlePayouts } from './settlement';
import { addCalendarMonth, extendSubscription } from './subscription';

describe('settlement split', () => {
  it('payouts plus fees equal the final equity to the cent, for any investors and any equity', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            shares: fc.integer({ min: 1, max: 10_000_000_000_000 }),
            cost: fc.integer({ min: 1, max: 100_000_000 }),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 0, max: 900_000_000_000 }),
        fc.integer({ min: 0, max: 5000 }),
        (rows, equity, fee) => {
          const holdings = rows.map((r, i) => ({
            investmentId: `i${i}`,
            userId: `u${i}`,
            shares: r.shares,
            costCents: r.cost,
          }));
          const { payouts, feesCents } = settlePayouts(equity, holdings, fee);
          expect(payouts.reduce((s, p) => s + p.payoutCents, 0) + feesCents).toBe(equity);
          for (const p of payouts) {
            expect(p.payoutCents).toBeGreaterThanOrEqual(0);
            expect(p.feeCents).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives leftover cents to the largest remainders', () => {
    expect(largestRemainder(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(largestRemainder(10, [3n, 3n, 4n])).toEqual([3, 3, 4]);
    expect(largestRemainder(0, [5n, 5n])).toEqual([0, 0]);
  });

  it('charges the fee on profit only', () => {
    const { payouts } = settlePayouts(
      30_000,
      [
        { investmentId: 'a', userId: 'a', shares: 1_000_000, costCents: 10_000 },
        { investmentId: 'b', userId: 'b', shares: 2_000_000, costCents: 25_000 },
      ],
      2000,
    );
    expect(payouts[0]).toMatchObject({ grossCents: 10_000, feeCents: 0, payoutCents: 10_000 });
    expect(payouts[1]).toMatchObject({ grossCents: 20_000, feeCents: 0 });
    const win = settlePayouts(
      15_000,
      [{ investmentId: 'a', userId: 'a', shares: 1, costCents: 10_000 }],
      2000,
    );
    expect(win.payouts[0]).toMatchObject({ grossCents: 15_000, feeCents: 1_000, payoutCents: 14_000 });
  });
});

describe('subscription periods', () => {
  it('adds one calendar month, clamping to shorter months', () => {
    expect(addCalendarMonth(new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addCalendarMonth(new Date('2028-01-31T10:00:00Z')).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addCalendarMonth(new Date('2026-11-24T12:00:00Z')).toISOString()).toBe('2026-12-24T12:00:00.000Z');
    expect(addCalendarMonth(new Date('2026-12-15T00:00:00Z')).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });

  it('extends from the later of now and the current expiry', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(extendSubscription(null, now).endsAt.toISOString()).toBe('2026-12-24T12:00:00.000Z');
    expect(extendSubscription(new Date('2026-12-01T00:00:00Z'), now).endsAt.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(extendSubscription(new Date('2026-10-01T00:00:00Z'), now).startsAt).toEqual(now);
  });
});
