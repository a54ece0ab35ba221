/**
 * Settlement of a pool: each investor's shares are redeemed at the final equity, minus the pool's performance fee on
 * profit. Payouts are split by largest remainder so payouts plus fees equal the final equity to the cent.
 */
export interface Holding {
  investmentId: string;
  userId: string;
  /** Micro-shares. */
  shares: number;
  /** What the holding cost: profit is measured against it. */
  costCents: number;
}

export interface Payout {
  investmentId: string;
  userId: string;
  grossCents: number;
  feeCents: number;
  payoutCents: number;
}

/**
 * Splits `totalCents` in proportion to `weights` exactly: floor shares first, then the leftover cents one by one to the
 * largest fractional remainders (ties by position, so the result is deterministic).
 */
export function largestRemainder(totalCents: number, weights: bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    return weights.map(() => 0);
  }
  const total = BigInt(totalCents);
  const base = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % sum }));
  let left = total - base.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const result = [...base];
  for (const { i } of remainders) {
    if (left <= 0n) {
      break;
    }
    result[i] = (result[i] ?? 0n) + 1n;
    left--;
  }
  return result.map(Number);
}

export function settlePayouts(
  finalEquityCents: number,
  holdings: Holding[],
  feeBps: number,
): { payouts: Payout[]; feesCents: number } {
  if (!Number.isSafeInteger(finalEquityCents) || finalEquityCents < 0) {
    throw new RangeError('final equity must be a non-negative integer number of cents');
  }
  const gross = largestRemainder(
    finalEquityCents,
    holdings.map((h) => BigInt(h.shares)),
  );
  const payouts = holdings.map((h, i) => {
    const grossCents = gross[i] ?? 0;
    const profit = grossCents - h.costCents;
    // Fee on profit only, rounded down: the investor never pays a fraction of a cent more than the rate.
    const feeCents = profit > 0 ? Number((BigInt(profit) * BigInt(feeBps)) / 10_000n) : 0;
    return {
      investmentId: h.investmentId,
      userId: h.userId,
      grossCents,
      feeCents,
      payoutCents: grossCents - feeCents,
    };
  });
  return { payouts, feesCents: payouts.reduce((sum, p) => sum + p.feeCents, 0) };
}
