import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns';

/**
 * Fixed-window counters of the rate limits, login throttles and registration limits, shared by every server process
 * on the database. One row per limited key (`<limit>:<ip or account>`); rows whose window ended are pruned daily.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text().primaryKey(),
    count: integer().notNull(),
    resetAt: instant().notNull(),
  },
  (t) => [index('rate_limits_reset_at_idx').on(t.resetAt)],
);

export type RateLimitRow = typeof rateLimits.$inferSelect;
