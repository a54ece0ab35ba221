import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { type JsonObject, poolStatuses, riskLevels, strategies } from '../types';
import { createdAt, idColumn, instant, updatedAt } from './columns';
import { users } from './users';

export const pools = pgTable(
  'pools',
  {
    id: idColumn(),
    name: text().notNull(),
    description: text().notNull().default(''),
    strategy: text({ enum: strategies }).notNull(),
    pair: text().notNull(),
    riskLevel: text({ enum: riskLevels }).notNull(),
    status: text({ enum: poolStatuses }).notNull().default('PENDING'),
    targetAmountCents: bigint({ mode: 'number' }).notNull(),
    /** Capital invested so far; never above the target (conditional update). */
    raisedCents: bigint({ mode: 'number' }).notNull().default(0),
    minInvestmentCents: bigint({ mode: 'number' }).notNull(),
    startDate: instant().notNull(),
    endDate: instant().notNull(),
    settleDate: instant().notNull(),
    /**
     * Money that trades: everything raised by the time the pool turned ACTIVE plus investments while ACTIVE (the sum
     * of its `pool_capital_flows`). 0 while PENDING.
     */
    capitalCents: bigint({ mode: 'number' }).notNull().default(0),
    /** Cumulative PnL from the model's newest accepted report (0 before any). */
    realizedPnlCents: bigint({ mode: 'number' }).notNull().default(0),
    unrealizedPnlCents: bigint({ mode: 'number' }).notNull().default(0),
    /**
     * The pool's value, stored derived: max(0, capital + realized + unrealized) once ACTIVE; the raised amount while
     * PENDING (NAV 1). Never the model's own figure.
     */
    equityCents: bigint({ mode: 'number' }).notNull().default(0),
    /** Outstanding shares in micro-shares (1 share = 1,000,000). */
    totalShares: bigint({ mode: 'number' }).notNull().default(0),
    investorCount: integer().notNull().default(0),
    /** Performance fee on profit at settlement, in basis points. */
    performanceFeeBps: integer().notNull().default(2000),
    /** The model's latest free-form `pool_update` status. */
    modelStatus: jsonb().$type<JsonObject>(),
    /** Model timestamp (`at`) of the newest accepted PnL report: older reports never overwrite it. */
    equityAsOf: instant(),
    lastHeartbeatAt: instant(),
    createdById: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // No index on status alone: each of these serves a filter on status by itself (EXPLAIN QUERY PLAN picks them), and
  // the scheduler rewrites every status index of each pool it moves (docs/performance.md, scheduler).
  (t) => [
    index('pools_status_start_date_idx').on(t.status, t.startDate),
    index('pools_status_end_date_idx').on(t.status, t.endDate),
    index('pools_status_settle_date_idx').on(t.status, t.settleDate),
  ],
);

/** One row per status change, whoever made it: the pool's timeline. */
export const poolStatusHistory = pgTable(
  'pool_status_history',
  {
    id: idColumn(),
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    fromStatus: text({ enum: poolStatuses }),
    toStatus: text({ enum: poolStatuses }).notNull(),
    at: instant().notNull(),
    /** The person who did it; null when the scheduler did. */
    actorId: text(),
    actorEmail: text(),
    trigger: text({ enum: ['USER', 'SCHEDULER'] }).notNull(),
  },
  (t) => [index('pool_status_history_pool_id_at_idx').on(t.poolId, t.at)],
);

/**
 * Each movement of tradable capital, stamped with the time it joined the pool: the activation (everything raised by
 * then) and each investment while ACTIVE. A PnL report is checked against the sum of the flows up to its `at`, so a
 * report written before an investment but delivered after it is still judged against the capital it saw.
 */
export const poolCapitalFlows = pgTable(
  'pool_capital_flows',
  {
    id: idColumn(),
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    at: instant().notNull(),
    /** Signed: positive is money joining the pool. */
    amountCents: bigint({ mode: 'number' }).notNull(),
    kind: text({ enum: ['ACTIVATION', 'INVESTMENT'] }).notNull(),
    /** The investment that brought the money (null for the activation flow). */
    investmentId: text(),
    createdAt: createdAt(),
  },
  (t) => [index('pool_capital_flows_pool_id_at_idx').on(t.poolId, t.at)],
);

export type Pool = typeof pools.$inferSelect;
export type NewPool = typeof pools.$inferInsert;
export type PoolStatusChange = typeof poolStatusHistory.$inferSelect;
export type PoolCapitalFlow = typeof poolCapitalFlows.$inferSelect;
