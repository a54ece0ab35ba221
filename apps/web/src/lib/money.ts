import { compactMoney, formatChange, formatMoney, formatSignedMoney } from './format';

/**
 * Money on screen. The API speaks integer cents and 6-decimal strings (CONTRACT.md §2); people type and read dollars.
 * Arithmetic on shares and NAV is done in integer millionths (BigInt), as the server does, so a preview shows the
 * exact share count the server will mint.
 */

// The display of money lives in lib/format.ts (one module for every figure); these names remain for callers that
// have not moved yet and delegate to it, so there is one rule whichever name a page uses.

/** @deprecated use `formatMoney` from lib/format. */
export function formatCents(cents: number): string {
  return formatMoney(cents);
}

/** @deprecated use `formatMoney(cents, { whole: true })` from lib/format. */
export function formatCentsWhole(cents: number): string {
  return formatMoney(cents, { whole: true });
}

/** @deprecated use `compactMoney` from lib/format (with its exact value in a tooltip). */
export function formatCentsCompact(cents: number): string {
  return compactMoney(cents).text;
}

/** @deprecated use `formatSignedMoney` from lib/format. */
export function formatSignedCents(cents: number): string {
  return formatSignedMoney(cents);
}

/** @deprecated use `formatChange` from lib/format (a ratio, 0.0425 → `+4.25%`). */
export function formatPercent(ratio: number): string {
  return formatChange(ratio);
}

/**
 * Dollars as typed (a number from an input, or a string like "12.5") to integer cents; null when it is not a
 * positive amount with at most two decimals. Goes through the decimal text, never `× 100` on a float
 * (0.29 × 100 = 28.999999999999996).
 */
export function dollarsToCents(value: number | string): number | null {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim().replace(/[$,\s]/g, '');
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) {
    return null;
  }
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : null;
}

const MICRO = 1_000_000n;

/** A 6-decimal string ("1.052345") to integer millionths; null when it is not one. */
export function parseMicros(decimal: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(decimal.trim());
  if (!match) {
    return null;
  }
  const micros = BigInt(match[2] ?? '0') * MICRO + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] === '-' ? -micros : micros;
}

function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return `${negative ? '-' : ''}${abs / MICRO}.${(abs % MICRO).toString().padStart(6, '0')}`;
}

/**
 * The shares `amountCents` buys at `navPerShare`, exactly as the server mints them: amount × 10^10 / NAV in
 * millionths, rounded down. Null when the NAV is unusable.
 */
export function sharesFor(amountCents: number, navPerShare: string): string | null {
  const nav = parseMicros(navPerShare);
  if (nav === null || nav <= 0n || !Number.isSafeInteger(amountCents) || amountCents <= 0) {
    return null;
  }
  return formatMicros((BigInt(amountCents) * 10_000_000_000n) / nav);
}

/**
 * What `shares` are worth at `navPerShare`, in cents, rounded half up exactly as the server's statement rounds it
 * (so $1,000 invested at any NAV shows as $1,000.00 everywhere, not $999.99 here and $1,000.00 there); null when
 * either is not a decimal.
 */
export function valueOfShares(shares: string, navPerShare: string): number | null {
  const count = parseMicros(shares);
  const nav = parseMicros(navPerShare);
  if (count === null || nav === null) {
    return null;
  }
  // micro-shares × micro-dollars = 10^-12 dollars = 10^-10 cents.
  return Number((count * nav + 5_000_000_000n) / 10_000_000_000n);
}

export { formatNav, formatShares } from './format';
