/**
 * Money on screen. The API speaks integer cents and 6-decimal strings (CONTRACT.md §2); people type and read dollars.
 * Arithmetic on shares and NAV is done in integer millionths (BigInt), as the server does, so a preview shows the
 * exact share count the server will mint.
 */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usdWhole = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const usdCompact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const shareCount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** `$1,234.56`; negative amounts as `-$1,234.56`. */
export function formatCents(cents: number): string {
  return usd.format(cents / 100);
}

/** `$1,235` for round figures on tiles and chart axes; exact cents elsewhere. */
export function formatCentsWhole(cents: number): string {
  return cents % 100 === 0 ? usdWhole.format(cents / 100) : usd.format(cents / 100);
}

/** `$1.2M`, for chart axes. */
export function formatCentsCompact(cents: number): string {
  return usdCompact.format(cents / 100);
}

/** `+$12.00`, `-$3.50`, `$0.00`: for movements, where the direction matters as much as the size. */
export function formatSignedCents(cents: number): string {
  if (cents === 0) {
    return usd.format(0);
  }
  return `${cents > 0 ? '+' : '−'}${usd.format(Math.abs(cents) / 100)}`;
}

/** `+4.25%` from a ratio (0.0425). */
export function formatPercent(ratio: number): string {
  return percent.format(ratio);
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

/** What `shares` are worth at `navPerShare`, in cents, rounded down; null when either is not a decimal. */
export function valueOfShares(shares: string, navPerShare: string): number | null {
  const count = parseMicros(shares);
  const nav = parseMicros(navPerShare);
  if (count === null || nav === null) {
    return null;
  }
  // micro-shares × micro-dollars = 10^-12 dollars = 10^-10 cents.
  return Number((count * nav) / 10_000_000_000n);
}

/** `1,234.5678` shares: grouped, up to the six decimals the API keeps, trailing zeros dropped past two. */
export function formatShares(shares: string): string {
  const value = Number(shares);
  return Number.isFinite(value) ? shareCount.format(value) : shares;
}

/** NAV per share as money with all six decimals, `$1.052345`. */
export function formatNav(navPerShare: string): string {
  return `$${navPerShare}`;
}
