import { useState } from 'react';
import { retryAfterSec } from '../lib/errors';
import { useCountdown } from './use-countdown';

/**
 * A form's "too many attempts" state: `throttled(error)` starts the countdown when the server refused with a
 * Retry-After (and says so, so the caller skips its other error handling); `blocked` holds until it runs out.
 */
export function useThrottle() {
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(blockedUntil);
  const throttled = (error: unknown): boolean => {
    const wait = retryAfterSec(error);
    if (wait === null) {
      return false;
    }
    setBlockedUntil(Date.now() + wait * 1000);
    return true;
  };
  return { secondsLeft, blocked: secondsLeft > 0, throttled };
}
