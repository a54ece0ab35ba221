import { AppError } from '@tradepool/domain';
import type { Context } from '../../context';

export function throttled(retryAfterSec: number, what: string): AppError {
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Too many ${what}: try again in ${Math.ceil(retryAfterSec / 60)} minute(s)`,
    {
      retryAfterSec,
    },
  );
}

/**
 * Runs one password check under the sign-in throttles (CONTRACT §8). The attempt is counted against the client IP and
 * the account *before* the hash is verified, in one atomic step each, so attempts arriving at once or in one batch
 * cannot all pass a check that has not counted them yet: with LOGIN_FAILURES_PER_15_MIN=N at most N wrong passwords
 * for one account are verified in any 15 minutes (a sliding window: each checked password holds its place for 15
 * minutes), and the right password after that is refused too. A correct password gives both attempts back. Unknown
 * emails are counted per email and per IP like any other, so spraying them cannot spend more than the IP's budget of
 * password hashes either.
 */
export async function throttledPasswordCheck(
  ctx: Context,
  accountKey: string,
  verify: () => Promise<boolean>,
): Promise<boolean> {
  const ipKey = ctx.ip ?? 'unknown';
  // A refused attempt takes no slot and verifies no hash: the slots held are the passwords actually checked.
  const perIp = await ctx.limits.loginPerIp.hit(ipKey);
  if (!perIp.allowed) {
    throw throttled(perIp.retryAfterSec, 'failed sign-ins from this address');
  }
  const perAccount = await ctx.limits.loginPerAccount.hit(accountKey);
  if (!perAccount.allowed) {
    await perIp.release();
    throw throttled(perAccount.retryAfterSec, 'failed sign-ins for this account');
  }
  const ok = await verify();
  if (ok) {
    await Promise.all([perIp.release(), perAccount.release()]);
  }
  return ok;
}
