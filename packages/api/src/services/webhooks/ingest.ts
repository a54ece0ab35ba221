import { type Db, newId } from '@tradepool/db';
import {
  AppError,
  centsToDecimal,
  decimalToCents,
  type ErrorBody,
  formatMicros,
  navMicros,
  normalizeDecimal,
  poolEquity,
  REFUSAL,
  reportToleranceCents,
  TRADING_STATUSES,
} from '@tradepool/domain';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';
import { zodFieldErrors } from '../../zod-field-errors';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { capitalAsOf } from '../money/capital';
import { MAX_DEPTH, ModelEvent, nestingDepth, parseLossless, toPlainJson } from './payload';
import type { WebhookRefusalLimit } from './refusal-limit';
import { validKeys } from './secrets';
import { verifySignature } from './signature';
import { claimWebhookId, insertDelivery, insertTrade, recordEventId, stampHeartbeat } from './statements';

export const MAX_BODY_BYTES = 256 * 1024;

export interface WebhookDelivery {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  bytes: number;
  ip: string | null;
  /** Per-IP budget for refusals (the HTTP route passes one; CONTRACT §8). */
  refusals?: WebhookRefusalLimit | undefined;
  /** Where the verified delivery is stored; this thread when absent. */
  store?: DeliveryStore | undefined;
}

export interface WebhookAnswer {
  status: number;
  body: { accepted: true; id?: string; duplicate?: true } | ErrorBody;
  /** Set on a 429: seconds until this address may be refused (and logged) again. */
  retryAfterSec?: number;
}

type Outcome = 'ACCEPTED' | 'DUPLICATE' | 'REFUSED';

async function logDelivery(
  deps: Pick<ServiceDeps, 'database' | 'clock'>,
  tx: Db,
  delivery: Pick<WebhookDelivery, 'id' | 'ip' | 'bytes'>,
  outcome: Outcome,
  status: number,
  extra: { reason?: string | null; eventType?: string | null; poolId?: string | null },
): Promise<void> {
  await insertDelivery(deps.database, tx, {
    id: newId(),
    webhookId: delivery.id?.slice(0, 200) ?? null,
    receivedAt: deps.clock.now(),
    outcome,
    httpStatus: status,
    reason: extra.reason?.slice(0, 500) ?? null,
    eventType: extra.eventType ?? null,
    poolId: extra.poolId?.slice(0, 64) ?? null,
    ip: delivery.ip,
    bodyBytes: delivery.bytes,
  });
}

/**
 * Refusals change nothing but the delivery log, and only within the per-IP refusal budget: beyond it the answer is
 * 429 and the refusal is counted in memory instead of stored (a flood of unsigned posts must not grow the table).
 */
async function refuse(
  deps: ServiceDeps,
  delivery: WebhookDelivery,
  error: AppError,
  context: RefusalContext = {},
): Promise<WebhookAnswer> {
  const budget = await delivery.refusals?.hit(delivery.ip);
  if (budget && !budget.allowed) {
    const tooMany = new AppError(
      'TOO_MANY_REQUESTS',
      `More than ${delivery.refusals?.limit} refused webhook deliveries per minute from this address (${error.message})`,
      { retryAfterSec: budget.retryAfterSec },
    );
    return { status: tooMany.status, body: tooMany.toBody(), retryAfterSec: budget.retryAfterSec };
  }
  await deps.database.transaction((tx) =>
    logDelivery(deps, tx, delivery, 'REFUSED', error.status, { ...context, reason: error.message }),
  );
  return { status: error.status, body: error.toBody() };
}

const cents = (value: string | undefined) => (value === undefined ? null : decimalToCents(value));

/** A report may be stamped at most this far after its signature: later would freeze newer reports out. */
const MAX_REPORT_LEAD_MS = 5 * 60_000;

/** A report's `at` (its signature time when absent), refused when it claims to come from the future. */
function reportTime(at: string | undefined, signedAt: Date): Date {
  if (at === undefined) {
    return signedAt;
  }
  const time = new Date(at);
  if (time.getTime() > signedAt.getTime() + MAX_REPORT_LEAD_MS) {
    throw new AppError(
      'BAD_REQUEST',
      `Invalid event: data.at ${time.toISOString()} is more than 5 minutes after the webhook-timestamp`,
      { fields: { 'data.at': 'must not be more than 5 minutes after the webhook-timestamp' } },
    );
  }
  return time;
}

/**
 * Applies one verified model event to the pool inside the caller's transaction and returns the id of the live event
 * it announced (null when a stale position or PnL report changed nothing).
 */
async function applyEvent(
  deps: StoreDeps,
  tx: Db,
  poolId: string,
  event: ModelEvent,
  webhookId: string,
  signedAt: Date,
): Promise<string | null> {
  const report = { deps, tx, poolId, webhookId, signedAt, now: deps.clock.now() };
  let id: number | null;
  switch (event.event) {
    case 'trade_executed':
      id = await applyTrade(report, event.data);
      break;
    case 'position_update':
      id = await applyPosition(report, event.data);
      break;
    case 'pnl_update':
      id = await applyPnl(report, event.data);
      break;
    case 'pool_update':
      id = await applyPoolUpdate(report, event.data);
      break;
  }
  return id === null ? null : String(id);
}

/** What every event type's step is given: the delivery's pool, its webhook-id and signature time, and this instant. */
interface Report {
  deps: StoreDeps;
  tx: Db;
  poolId: string;
  webhookId: string;
  signedAt: Date;
  now: Date;
}

type EventData<T extends ModelEvent['event']> = Extract<ModelEvent, { event: T }>['data'];

/** A trade is stored as reported (its executedAt defaults to the signature time) and announced. */
async function applyTrade(
  { deps, tx, poolId, webhookId, signedAt, now }: Report,
  data: EventData<'trade_executed'>,
): Promise<number> {
  // Stored exactly as given, so the event is built from the values rather than read back.
  const trade = {
    id: newId(),
    poolId,
    externalId: data.tradeId ?? null,
    side: data.side,
    symbol: data.symbol,
    quantity: normalizeDecimal(data.quantity),
    price: normalizeDecimal(data.price),
    feeCents: cents(data.fee),
    executedAt: data.executedAt ? new Date(data.executedAt) : signedAt,
    webhookId,
    createdAt: now,
  };
  await insertTrade(deps.database, tx, trade);
  return appendEvent(deps, tx, {
    type: 'trade:executed',
    poolId,
    data: {
      id: trade.id,
      tradeId: trade.externalId,
      side: trade.side,
      symbol: trade.symbol,
      quantity: trade.quantity,
      price: trade.price,
      feeCents: trade.feeCents,
      executedAt: trade.executedAt.toISOString(),
    },
  });
}

/** A position report replaces the stored one unless that one is newer. */
async function applyPosition(
  { deps, tx, poolId, signedAt, now }: Report,
  data: EventData<'position_update'>,
): Promise<number | null> {
  const { positions } = deps.database.schema;
  const asOf = reportTime(data.at, signedAt);
  const values = {
    quantity: normalizeDecimal(data.quantity),
    avgEntryPrice: normalizeDecimal(data.avgEntryPrice),
    markPrice: normalizeDecimal(data.markPrice),
    unrealizedPnlCents: cents(data.unrealizedPnl),
    asOf,
    updatedAt: now,
  };
  // Conditional upsert: a report older than what is stored is dropped, so arrival order does not matter.
  const [row] = await tx
    .insert(positions)
    .values({ id: newId(), poolId, symbol: data.symbol, ...values })
    .onConflictDoUpdate({
      target: [positions.poolId, positions.symbol],
      set: values,
      setWhere: lte(positions.asOf, asOf),
    })
    .returning();
  if (!row) {
    return null;
  }
  return appendEvent(deps, tx, {
    type: 'position:update',
    poolId,
    data: {
      symbol: row.symbol,
      quantity: row.quantity,
      avgEntryPrice: row.avgEntryPrice,
      markPrice: row.markPrice,
      unrealizedPnlCents: row.unrealizedPnlCents,
      asOf: row.asOf.toISOString(),
    },
  });
}

/** A PnL report is judged against the capital of its moment, then kept as a snapshot unless a newer one is stored. */
async function applyPnl(
  { deps, tx, poolId, webhookId, signedAt, now }: Report,
  data: EventData<'pnl_update'>,
): Promise<number | null> {
  const { pnlSnapshots, pools } = deps.database.schema;
  const at = reportTime(data.at, signedAt);
  const realizedPnlCents = decimalToCents(data.realizedPnl);
  const unrealizedPnlCents = decimalToCents(data.unrealizedPnl);
  // The model reports performance; the platform owns the capital. Judge the report against the capital the
  // pool had at its `at` (a report written before an investment and delivered after it saw less capital).
  // Without an `at` the report speaks for its signature second (webhook-timestamp has no finer resolution).
  const capitalThen = await capitalAsOf(deps, tx, poolId, data.at ? at : new Date(signedAt.getTime() + 999));
  if (capitalThen === 0 && (realizedPnlCents !== 0 || unrealizedPnlCents !== 0)) {
    throw new AppError(
      'CONFLICT',
      `PnL reported for ${at.toISOString()}, when the pool had no capital trading: nothing to gain or lose`,
      { details: { reason: REFUSAL.NO_CAPITAL, capitalCents: 0 } },
    );
  }
  if (data.equity !== undefined) {
    const reportedEquityCents = decimalToCents(data.equity);
    const expectedEquityCents = poolEquity(capitalThen, realizedPnlCents, unrealizedPnlCents);
    const toleranceCents = reportToleranceCents(capitalThen);
    if (Math.abs(reportedEquityCents - expectedEquityCents) > toleranceCents) {
      throw new AppError(
        'CONFLICT',
        `Reported equity ${centsToDecimal(reportedEquityCents)} does not match the expected ${centsToDecimal(expectedEquityCents)} (capital ${centsToDecimal(capitalThen)} as of ${at.toISOString()} + realizedPnl + unrealizedPnl, tolerance ${centsToDecimal(toleranceCents)})`,
        {
          fields: { 'data.equity': `expected ${centsToDecimal(expectedEquityCents)}` },
          details: {
            reason: REFUSAL.EQUITY_MISMATCH,
            expectedEquityCents,
            reportedEquityCents,
            capitalCents: capitalThen,
            toleranceCents,
          },
        },
      );
    }
  }
  // Cumulative figures: the newest report wins and an older one changes nothing (no snapshot, no event), so
  // arrival order does not matter. Equity is computed in the statement from the row's own capital, so an
  // investment committed meanwhile is counted.
  const total = sql`${pools.capitalCents} + ${realizedPnlCents} + ${unrealizedPnlCents}`;
  const [updated] = await tx
    .update(pools)
    .set({
      realizedPnlCents,
      unrealizedPnlCents,
      equityCents: sql`case when ${total} > 0 then ${total} else 0 end`,
      equityAsOf: at,
    })
    .where(and(eq(pools.id, poolId), or(isNull(pools.equityAsOf), lte(pools.equityAsOf, at))))
    .returning();
  if (!updated) {
    return null;
  }
  const nav = navMicros(updated.equityCents, updated.totalShares);
  // The NAV and equity of this moment are kept with the snapshot: the chart never re-prices the past.
  await tx.insert(pnlSnapshots).values({
    id: newId(),
    poolId,
    at,
    equityCents: updated.equityCents,
    capitalCents: updated.capitalCents,
    navMicros: Number(nav),
    realizedPnlCents,
    unrealizedPnlCents,
    webhookId,
    createdAt: now,
  });
  return appendEvent(deps, tx, {
    type: 'pnl:update',
    poolId,
    data: {
      equityCents: updated.equityCents,
      navPerShare: formatMicros(nav),
      capitalCents: updated.capitalCents,
      realizedPnlCents,
      unrealizedPnlCents,
      at: at.toISOString(),
    },
  });
}

/** The model's free-form status for the dashboard. */
async function applyPoolUpdate(
  { deps, tx, poolId, signedAt }: Report,
  data: EventData<'pool_update'>,
): Promise<number> {
  const { pools } = deps.database.schema;
  const status = {
    ...(data.message !== undefined ? { message: data.message } : {}),
    ...(data.metrics !== undefined ? { metrics: toPlainJson(data.metrics) } : {}),
    at: signedAt.toISOString(),
  };
  await tx.update(pools).set({ modelStatus: status }).where(eq(pools.id, poolId));
  return appendEvent(deps, tx, { type: 'pool:update', poolId, data: status });
}

/** What the store step needs: the database, the clock, and the bus woken after a commit that stored events. */
export type StoreDeps = Pick<ServiceDeps, 'database' | 'clock'> & { bus: { notify(): void } };

/** A delivery whose signature has been verified: what is left is to parse, validate and store it. */
export interface VerifiedDelivery {
  /** The raw body, exactly as signed. */
  body: string;
  /** The webhook-timestamp the signature covers. */
  signedAt: Date;
  /** The webhook-id header: the de-duplication key (a verified delivery has one), and kept in the delivery log. */
  id: string | undefined;
  ip: string | null;
  bytes: number;
}

/** The store step's result: stored (accepted or a duplicate), or refused with the error to answer. */
export type StoreOutcome =
  | { kind: 'stored'; duplicate: boolean; eventId: string | null }
  | { kind: 'refused'; error: AppError; context: RefusalContext };

/** What the delivery log records of a refused delivery, as far as its body could be read. */
export interface RefusalContext {
  eventType?: string | null;
  poolId?: string | null;
}

/**
 * Where verified deliveries are stored: in this thread by default (`storeVerifiedDelivery`), or by a writer that owns
 * a write connection elsewhere (the server's SQLite write worker). Either way the outcome is known only after the
 * commit, and the dispatcher has been woken for the events it stored.
 */
export interface DeliveryStore {
  store(delivery: VerifiedDelivery): Promise<StoreOutcome>;
}

/**
 * Parses and validates a verified delivery, then stores its effects, the de-duplication key, the live event and the
 * delivery log in one transaction (committed when this resolves). A refusal changes nothing and is returned with its
 * error for the caller to log within its refusal budget. Refusals are not logged here: the budget lives with the
 * HTTP route, and a refusal must not be stored beyond it.
 */
export async function storeVerifiedDelivery(
  deps: StoreDeps,
  delivery: VerifiedDelivery,
): Promise<StoreOutcome> {
  const refused = (error: AppError, context: RefusalContext = {}): StoreOutcome => ({
    kind: 'refused',
    error,
    context,
  });
  if (nestingDepth(delivery.body) > MAX_DEPTH) {
    return refused(new AppError('BAD_REQUEST', `Body is nested deeper than ${MAX_DEPTH} levels`));
  }
  let raw: unknown;
  try {
    raw = parseLossless(delivery.body);
  } catch {
    return refused(new AppError('BAD_REQUEST', 'Body is not valid JSON'));
  }
  const parsed = ModelEvent.safeParse(raw);
  const rawObject = raw && typeof raw === 'object' ? (raw as { event?: unknown; poolId?: unknown }) : {};
  const context = {
    eventType: typeof rawObject.event === 'string' ? rawObject.event.slice(0, 40) : null,
    poolId: typeof rawObject.poolId === 'string' ? rawObject.poolId : null,
  };
  if (!parsed.success) {
    const fields = zodFieldErrors(parsed.error);
    const list = Object.entries(fields)
      .map(([field, message]) => `${field} ${message}`)
      .join('; ');
    return refused(new AppError('BAD_REQUEST', `Invalid event: ${list}`, { fields }), context);
  }
  const event = parsed.data;
  const webhookId = delivery.id ?? '';
  const { webhookMessages } = deps.database.schema;
  try {
    const result = await eventsTransaction(deps, async (tx) => {
      const claimed = await claimWebhookId(deps.database, tx, {
        webhookId,
        poolId: event.poolId,
        eventType: event.event,
        receivedAt: deps.clock.now(),
      });
      if (claimed.length === 0) {
        const [first] = await tx
          .select()
          .from(webhookMessages)
          .where(eq(webhookMessages.webhookId, webhookId))
          .limit(1);
        await logDelivery(deps, tx, delivery, 'DUPLICATE', 200, context);
        return { duplicate: true as const, eventId: first?.eventId ?? null };
      }
      // The heartbeat is stamped by the statement that reads the pool (one statement fewer per delivery); a refused
      // delivery throws below and rolls it back, so only accepted deliveries count as heard, as before. `updatedAt`
      // takes the process clock, as drizzle's `$onUpdateFn` gave it.
      const [pool] = await stampHeartbeat(deps.database, tx, {
        poolId: event.poolId,
        now: deps.clock.now(),
        updatedAt: new Date(),
      });
      if (!pool) {
        throw new AppError('NOT_FOUND', `Unknown pool ${event.poolId}`);
      }
      if (!TRADING_STATUSES.includes(pool.status)) {
        throw new AppError('CONFLICT', `Pool is ${pool.status}: not trading`);
      }
      const eventId = await applyEvent(deps, tx, pool.id, event, webhookId, delivery.signedAt);
      await recordEventId(deps.database, tx, { eventId, webhookId });
      await logDelivery(deps, tx, delivery, 'ACCEPTED', 202, context);
      return { duplicate: false as const, eventId };
    });
    return { kind: 'stored', ...result };
  } catch (error) {
    if (error instanceof AppError) {
      return refused(error, context);
    }
    if (error instanceof RangeError) {
      return refused(new AppError('BAD_REQUEST', `Invalid event: ${error.message}`), context);
    }
    throw error;
  }
}

/**
 * The trading model's webhook, end to end: verify the signature on the raw body, parse numbers exactly, validate,
 * then store the effects, the de-duplication key, the live event and the delivery log in one transaction. Answers
 * 202 only after that commit; the same webhook-id again answers 200 duplicate with no second effect or broadcast.
 * The signature is checked here, with this process's keys (a rotation takes effect at once); the rest runs in
 * `delivery.store` when given, else in this thread.
 */
export async function ingestModelWebhook(
  deps: ServiceDeps,
  delivery: WebhookDelivery,
): Promise<WebhookAnswer> {
  if (delivery.bytes > MAX_BODY_BYTES) {
    return refuse(deps, delivery, new AppError('PAYLOAD_TOO_LARGE', 'Body is larger than 256 KiB'));
  }
  const { keys } = await validKeys(deps);
  const check = verifySignature({ ...delivery, keys, now: deps.clock.now() });
  if (!check.ok) {
    return refuse(deps, delivery, new AppError('UNAUTHORIZED', `Invalid webhook: ${check.reason}`));
  }
  const verified: VerifiedDelivery = {
    body: delivery.body,
    signedAt: check.timestamp,
    id: delivery.id,
    ip: delivery.ip,
    bytes: delivery.bytes,
  };
  const outcome = delivery.store
    ? await delivery.store.store(verified)
    : await storeVerifiedDelivery(deps, verified);
  if (outcome.kind === 'refused') {
    return refuse(deps, delivery, outcome.error, outcome.context);
  }
  if (outcome.duplicate) {
    return { status: 200, body: { accepted: true, duplicate: true } };
  }
  return { status: 202, body: { accepted: true, id: outcome.eventId ?? delivery.id ?? '' } };
}
