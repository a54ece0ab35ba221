import { describe, expect, it } from 'vitest';
import {
  changeRatio,
  compactMoney,
  daysLeft,
  dedupeLabels,
  formatChange,
  formatChartDollars,
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNav,
  formatNumber,
  formatPrice,
  formatQuantity,
  formatRatio,
  formatRelative,
  formatShares,
  formatSignedMoney,
  formatTime,
  niceTicks,
  plural,
  timeTicks,
} from './format';

const MINUS = '\u2212';

describe('money', () => {
  it('shows cents as dollars with the currency, exact to the cent', () => {
    expect(formatMoney(123_456)).toBe('$1,234.56');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(-305)).toBe(`${MINUS}$3.05`);
    expect(formatMoney(988_912)).toBe('$9,889.12');
  });

  it('drops the cents of round amounts only when asked, never rounding a figure away', () => {
    expect(formatMoney(5_000_000, { whole: true })).toBe('$50,000');
    expect(formatMoney(5_000_050, { whole: true })).toBe('$50,000.50');
  });

  it('signs movements, with a true minus sign and no sign on zero', () => {
    expect(formatSignedMoney(1_200)).toBe('+$12.00');
    expect(formatSignedMoney(-350)).toBe(`${MINUS}$3.50`);
    expect(formatSignedMoney(0)).toBe('$0.00');
    expect(formatSignedMoney(-8_151)).toBe(`${MINUS}$81.51`);
  });

  it('compacts only large amounts and keeps the exact value for a tooltip', () => {
    expect(compactMoney(988_912)).toEqual({ text: '$9,889.12', exact: '$9,889.12', compacted: false });
    expect(compactMoney(123_456_789)).toEqual({ text: '$1.2M', exact: '$1,234,567.89', compacted: true });
    expect(compactMoney(-2_500_000).text).toBe(`${MINUS}$25K`);
  });

  it('shows a chart value (dollars) as money to the nearest cent, exact or compact for an axis', () => {
    expect(formatChartDollars(1_234.5)).toBe('$1,234.50');
    // Float dollars from a chart scale round to the nearest cent, not down.
    expect(formatChartDollars(0.1 + 0.2)).toBe('$0.30');
    expect(formatChartDollars(19.999)).toBe('$20.00');
    expect(formatChartDollars(1_234_567.89, 'compact')).toBe('$1.2M');
    expect(formatChartDollars(9_889.12, 'compact')).toBe('$9,889.12');
    expect(formatChartDollars(-25_000, 'compact')).toBe(`${MINUS}$25K`);
  });
});

describe('NAV, shares, prices and quantities', () => {
  it('shows NAV per share with all six decimals, whatever the input carries', () => {
    expect(formatNav('1.052345')).toBe('$1.052345');
    expect(formatNav('1')).toBe('$1.000000');
    expect(formatNav('1.5')).toBe('$1.500000');
    expect(formatNav('1234.1234567')).toBe('$1,234.123456');
    expect(formatNav('not a number')).toBe('not a number');
  });

  it('groups quantities and drops trailing zeros', () => {
    expect(formatQuantity('45000.125000')).toBe('45,000.125');
    expect(formatQuantity('0.180000')).toBe('0.18');
    expect(formatQuantity('-2.5')).toBe(`${MINUS}2.5`);
    expect(formatQuantity('-0.000000')).toBe('0');
  });

  it('keeps at least two decimals on share counts', () => {
    expect(formatShares('1234.5')).toBe('1,234.50');
    expect(formatShares('0.123456')).toBe('0.123456');
    expect(formatShares('10')).toBe('10.00');
  });

  it('prices trades with the currency and even decimals', () => {
    expect(formatPrice('63850.5')).toBe('$63,850.50');
    expect(formatPrice('3184.2')).toBe('$3,184.20');
    expect(formatPrice(45_000)).toBe('$45,000.00');
    expect(formatPrice('0.0421')).toBe('$0.0421');
    expect(formatPrice('0.12345678')).toBe('$0.123457');
  });
});

describe('percentages', () => {
  it('signs changes with one rule: two decimals, + for gains, a minus for losses', () => {
    expect(formatChange(0.0425)).toBe('+4.25%');
    expect(formatChange(-0.0031)).toBe(`${MINUS}0.31%`);
    expect(formatChange(0)).toBe('0.00%');
    expect(formatChange(0.00001)).toBe('0.00%');
    expect(formatChange(34.3549)).toBe('+3,435.49%');
    expect(formatChange(Number.NaN)).toBe('—');
  });

  it('shows fractions such as a win rate or exposure as percentages', () => {
    expect(formatRatio(0.55)).toBe('55%');
    expect(formatRatio(0.8)).toBe('80%');
    expect(formatRatio(0.825)).toBe('82.5%');
    expect(formatRatio(-0.031)).toBe(`${MINUS}3.1%`);
  });

  it('computes a change ratio, and none from nothing', () => {
    expect(changeRatio(100, 104.25)).toBeCloseTo(0.0425, 10);
    expect(changeRatio(0, 5)).toBe(0);
  });

  it('formats plain numbers', () => {
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatNumber(1.62351)).toBe('1.6235');
    expect(formatNumber(-3)).toBe(`${MINUS}3`);
  });
});

describe('dates', () => {
  const at = '2026-11-28T11:45:12.000Z';

  it('uses one date style, in the reader’s zone (UTC here)', () => {
    expect(formatDateTime(at)).toBe('Nov 28, 2026, 11:45 AM');
    expect(formatDate(at)).toBe('Nov 28, 2026');
    expect(formatTime(at)).toBe('11:45 AM');
    expect(formatTime(at, { seconds: true })).toBe('11:45:12 AM');
    expect(formatDateTime('garbage')).toBe('garbage');
  });

  it('says how long ago', () => {
    const now = Date.parse(at);
    expect(formatRelative('2026-11-28T11:42:12.000Z', now)).toBe('3 minutes ago');
    expect(formatRelative('2026-11-30T11:45:12.000Z', now)).toBe('in 2 days');
    expect(formatRelative(at, now)).toBe('now');
  });

  it('counts the days left of a month bought today as calendar days', () => {
    const bought = Date.parse('2026-11-28T11:45:12.000Z');
    const expires = '2026-12-28T11:45:12.000Z';
    expect(daysLeft(expires, bought + 5_000)).toBe(30);
    expect(daysLeft(expires, Date.parse('2026-12-27T23:00:00.000Z'))).toBe(1);
    expect(daysLeft(expires, Date.parse('2026-12-28T11:00:00.000Z'))).toBe(0);
    expect(daysLeft(expires, Date.parse('2026-12-29T00:00:00.000Z'))).toBe(0);
  });
});

describe('chart axes', () => {
  it('picks round value ticks that cover the data', () => {
    const { ticks, decimals } = niceTicks(9.998, 10.0121, 5);
    expect(ticks[0]).toBeLessThanOrEqual(9.998);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(10.0121);
    expect(decimals).toBe(3);
    for (const tick of ticks) {
      expect(Number(tick.toFixed(decimals))).toBe(tick);
    }
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('rounds NAV ticks to a readable step', () => {
    expect(niceTicks(0.99871, 1.00412, 5).ticks).toEqual([0.998, 1, 1.002, 1.004, 1.006]);
    expect(niceTicks(9_000, 18_999, 5).ticks).toEqual([7_500, 10_000, 12_500, 15_000, 17_500, 20_000]);
  });

  it('gives a flat series a band around it', () => {
    const { ticks } = niceTicks(1, 1, 5);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks[0]).toBeLessThan(1);
    expect(ticks.at(-1)).toBeGreaterThan(1);
  });

  it('puts time ticks on round moments, none labelled twice', () => {
    const from = Date.parse('2026-11-28T10:03:17.000Z');
    const to = Date.parse('2026-11-28T11:01:00.000Z');
    const { ticks, format } = timeTicks(from, to, 6);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const tick of ticks) {
      expect(tick % (10 * 60_000)).toBe(0);
    }
    const labels = ticks.map(format);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toBe('10:10 AM');
  });

  it('labels day ticks by day and short spans with seconds', () => {
    const day = timeTicks(Date.parse('2026-11-20T05:00:00Z'), Date.parse('2026-11-28T05:00:00Z'), 6);
    expect(day.ticks.map(day.format)).toContain('Nov 21');
    const short = timeTicks(Date.parse('2026-11-28T10:27:00Z'), Date.parse('2026-11-28T10:27:50Z'), 6);
    expect(short.ticks.map(short.format)).toContain('10:27:15 AM');
  });

  it('drops ticks whose label repeats the previous one', () => {
    const minute = (value: number) => new Date(value).toISOString().slice(11, 16);
    const base = Date.parse('2026-11-28T10:27:00Z');
    expect(dedupeLabels([base, base + 20_000, base + 60_000], minute)).toEqual([base, base + 60_000]);
  });
});

describe('counts', () => {
  it('puts the noun in the number its count asks for', () => {
    expect(formatCount(1, 'pool')).toBe('1 pool');
    expect(formatCount(0, 'pool')).toBe('0 pools');
    expect(formatCount(3, 'pool')).toBe('3 pools');
    expect(formatCount(1, 'entry', 'entries')).toBe('1 entry');
    expect(formatCount(2, 'entry', 'entries')).toBe('2 entries');
    expect(plural(1, 'investor')).toBe('investor');
    expect(plural(1_234, 'investor')).toBe('investors');
  });
});
