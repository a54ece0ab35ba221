import type { Clock } from '@tradepool/domain';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the caller may try again (when refused). */
  retryAfterSec: number;
  remaining: number;
}

/**
 * Fixed-window counters in memory, keyed by whatever the caller limits (an IP, an account). Time comes from the
 * injected clock so tests move it instead of waiting. Per process: behind several processes each enforces its share,
 * which is the conservative direction for login throttling only when combined with the per-account limit.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  #lastSweep = 0;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  #window(key: string, now: number) {
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }

  #decision(window: { start: number; count: number }, now: number): RateDecision {
    const allowed = window.count <= this.limit;
    return {
      allowed,
      retryAfterSec: allowed ? 0 : Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)),
      remaining: Math.max(0, this.limit - window.count),
    };
  }

  /** Counts one hit and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const now = this.clock.now().getTime();
    const window = this.#window(key, now);
    window.count++;
    return this.#decision(window, now);
  }

  /** Whether one more hit would be allowed, without counting it. */
  peek(key: string): RateDecision {
    const now = this.clock.now().getTime();
    const window = this.#window(key, now);
    return this.#decision({ start: window.start, count: window.count + 1 }, now);
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number) {
    if (now - this.#lastSweep < this.windowMs) {
      return;
    }
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) {
      if (now - window.start >= this.windowMs) {
        this.#windows.delete(key);
      }
    }
  }
}
