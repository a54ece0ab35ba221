import { MICRO_SHARES_PER_CENT_AT_PAR, navMicros } from './money';

/**
 * Pool accounting (CONTRACT §6): the platform owns the capital, the model only reports cumulative PnL. Pure integer
 * arithmetic shared by the services and their tests.
 */

/** A pool's value: capital plus cumulative PnL, never below zero (a pool cannot owe its investors money). */
export function poolEquity(
  capitalCents: number,
  realizedPnlCents: number,
  unrealizedPnlCents: number,
): number {
  return Math.max(0, capitalCents + realizedPnlCents + unrealizedPnlCents);
}

/** How far a reported `equity` may be from capital-as-of-`at` + PnL: the larger of 100 cents and 0.1 % of capital. */
export function reportToleranceCents(capitalCents: number): number {
  return Math.max(100, Math.floor(Math.abs(capitalCents) / 1000));
}

/** A settlement override may differ from the last reported equity by at most this many basis points (5 %). */
export const SETTLEMENT_OVERRIDE_BPS = 500;

/** The final equities an ADMIN may settle at, inclusive: within 5 % of the last reported equity, rounded inwards. */
export function settlementOverrideBounds(defaultEquityCents: number): { minCents: number; maxCents: number } {
  const base = BigInt(defaultEquityCents);
  const bps = BigInt(SETTLEMENT_OVERRIDE_BPS);
  const down = base * (10_000n - bps);
  const up = base * (10_000n + bps);
  // ceil for the lower bound, floor for the upper one: both stay inside the 5 %.
  return { minCents: Number((down + 9_999n) / 10_000n), maxCents: Number(up / 10_000n) };
}

/**
 * Micro-shares an investment of `amountCents` buys in a pool worth `equityCents` with `totalMicroShares` outstanding,
 * such that the NAV (in micro-dollars, as shown) is the same after the money and the shares join: nobody's value
 * moves because someone else invested. The exact share count X·S/E is rounded down (existing holders are never
 * diluted); when that rounding would lift the shown NAV by a micro-dollar, the smallest count that keeps it is used
 * instead (a fraction of a micro-share, worth far less than a cent). Exactness needs (E + X)·10^10 ≥ NAV·(NAV + 1) in
 * micro-dollars (a pool worth $1 at NAV 1, $100 at NAV 10): below that no whole micro-share count keeps the NAV and
 * it rises by at most one micro-share's worth (NAV / shares micro-dollars). With no shares outstanding, shares are at
 * par.
 */
export function sharesAtCurrentNav(
  equityCents: number,
  totalMicroShares: number,
  amountCents: number,
): bigint {
  const amount = BigInt(amountCents);
  if (totalMicroShares <= 0) {
    return amount * MICRO_SHARES_PER_CENT_AT_PAR;
  }
  const equity = BigInt(equityCents);
  const shares = BigInt(totalMicroShares);
  if (equity <= 0n) {
    return 0n;
  }
  const nav = navMicros(equityCents, totalMicroShares);
  const exact = (amount * shares) / equity;
  const after = equity + amount;
  const navAfter = (s: bigint) => (after * 10_000_000_000n) / (shares + s);
  if (navAfter(exact) === nav) {
    return exact;
  }
  // Smallest s with (E + X)·10^10 / (S + s) < NAV + 1.
  const least = (after * 10_000_000_000n) / (nav + 1n) + 1n - shares;
  return least > exact && navAfter(least) === nav ? least : exact;
}
