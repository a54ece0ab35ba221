/** 1 share = 1,000,000 micro-shares; shares are integers in storage. */
export const MICRO = 1_000_000n;

/** Micro-shares minted per cent at NAV 1.000000 ($1 buys one share). */
export const MICRO_SHARES_PER_CENT_AT_PAR = 10_000n;

/** A decimal string with 6 places from an integer count of millionths ("1.052345"). */
export function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICRO;
  const fraction = (abs % MICRO).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/**
 * NAV per share in millionths of a dollar: equity / shares, rounded down. A pool with no shares is at par (1.000000).
 * BigInt because equity × 10^10 passes 2^53 for pools above ~$9,000.
 */
export function navMicros(equityCents: number, totalMicroShares: number): bigint {
  if (totalMicroShares <= 0) {
    return MICRO;
  }
  return (BigInt(equityCents) * 10_000_000_000n) / BigInt(totalMicroShares);
}

export function navPerShare(equityCents: number, totalMicroShares: number): string {
  return formatMicros(navMicros(equityCents, totalMicroShares));
}

export function formatShares(microShares: number): string {
  return formatMicros(BigInt(microShares));
}
