import type { Clock } from '@tradepool/domain';
import type { Logger } from 'pino';
import { type LimiterStore, SharedRateLimiter } from '../security/shared-limiter';

export interface RefusalDecision {
  allowed: boolean;
  retryAfterSec: number;
}

/**
 * Refused model-webhook deliveries per client IP per minute (CONTRACT §8, WEBHOOK_REFUSALS_PER_MIN). Within the
 * limit a refusal keeps its delivery-log row; beyond it the delivery gets `429` and is only counted here, so a flood
 * of unsigned posts cannot grow a table kept 30 days. Accepted deliveries are never counted: a model sharing an
 * address with a misbehaving client keeps getting through.
 *
 * The count lives in the shared limiter store (one `rate_limits` row per IP and minute on Postgres, so every process
 * enforces one limit; memory with SQLite). The excess is counted there and logged, never stored as delivery rows.
 */
export class WebhookRefusalLimit {
  readonly #limiter: SharedRateLimiter;
  /** Refusals answered 429 and not stored, per IP in its current window; logged once when an IP first goes over. */
  readonly #excess = new Map<string, number>();
  #excessTotal = 0;

  constructor(
    store: LimiterStore,
    clock: Clock,
    readonly limit: number,
    private readonly log: Logger | null = null,
  ) {
    this.#limiter = new SharedRateLimiter(store, clock, 'webhook-refusals-ip', limit, 60_000);
  }

  /** Counts one refusal from `ip` and says whether it may still be stored and answered normally. */
  async hit(ip: string | null): Promise<RefusalDecision> {
    const key = ip ?? 'unknown';
    const decision = await this.#limiter.hit(key);
    if (decision.allowed) {
      if (decision.remaining === this.limit - 1) {
        // First refusal of a new window for this IP: the previous window's excess (if any) is summed up once.
        const previous = this.#excess.get(key);
        if (previous) {
          this.log?.warn(
            { ip: key, notStored: previous },
            'webhook refusals over WEBHOOK_REFUSALS_PER_MIN were counted, not stored',
          );
          this.#excess.delete(key);
        }
      }
      return { allowed: true, retryAfterSec: 0 };
    }
    if (this.#excess.size >= 10_000 && !this.#excess.has(key)) {
      // Many addresses over the limit at once: keep the memory bounded; the running total still counts them.
      this.#excess.clear();
    }
    const count = (this.#excess.get(key) ?? 0) + 1;
    this.#excess.set(key, count);
    this.#excessTotal++;
    if (count === 1) {
      this.log?.warn(
        { ip: key, limit: this.limit },
        'webhook refusals over WEBHOOK_REFUSALS_PER_MIN: answering 429 and counting instead of storing',
      );
    }
    return { allowed: false, retryAfterSec: decision.retryAfterSec };
  }

  /** Refusals answered 429 without a delivery-log row since the process started (for metrics and tests). */
  get notStored(): number {
    return this.#excessTotal;
  }
}
