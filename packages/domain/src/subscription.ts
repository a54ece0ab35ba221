/** The reminder goes out this long before expiry, once per period. */
export const REMINDER_BEFORE_MS = 3 * 24 * 60 * 60_000;

/**
 * One calendar month later, clamped to the last day of a shorter month (Jan 31 → Feb 28/29), same time of day, UTC.
 */
export function addCalendarMonth(from: Date): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth();
  const day = from.getUTCDate();
  const lastDayOfNext = new Date(Date.UTC(year, month + 2, 0)).getUTCDate();
  const result = new Date(from.getTime());
  result.setUTCDate(1);
  result.setUTCMonth(month + 1);
  result.setUTCDate(Math.min(day, lastDayOfNext));
  return result;
}

/** A paid month extends from the later of now and the current expiry, so paying early never loses days. */
export function extendSubscription(currentExpiry: Date | null, now: Date): { startsAt: Date; endsAt: Date } {
  const startsAt = currentExpiry && currentExpiry.getTime() > now.getTime() ? currentExpiry : now;
  return { startsAt, endsAt: addCalendarMonth(startsAt) };
}

export function isSubscriptionActiveAt(expiry: Date | null, now: Date): boolean {
  return expiry !== null && expiry.getTime() > now.getTime();
}
