import type { Database, Db } from '@tradepool/db';
import { type PoolBooksView, poolEquity, settlementOverrideBounds } from '@tradepool/domain';
import { eq } from 'drizzle-orm';

interface Move {
  from: string;
  to: string;
  amount: number;
  kind: string;
}

const POOL_ACCOUNT = /^pool:(.+):(capital|trading)$/;

/**
 * Explains every pool from its ledger movements: capital in, trading result, fees and payouts. A SETTLED pool's final
 * equity (capital in + trading result) must be the equity its last report supports, or an ADMIN's audited override
 * within 5 % of it; anything else — a settlement at an amount no report explains — is flagged `unsupported`.
 */
export async function explainPools(database: Database, tx: Db, moves: Move[]): Promise<PoolBooksView[]> {
  const books = new Map<string, { capitalIn: number; result: number; fees: number; payouts: number }>();
  const entry = (poolId: string) => {
    let row = books.get(poolId);
    if (!row) {
      row = { capitalIn: 0, result: 0, fees: 0, payouts: 0 };
      books.set(poolId, row);
    }
    return row;
  };
  for (const move of moves) {
    const from = POOL_ACCOUNT.exec(move.from);
    const to = POOL_ACCOUNT.exec(move.to);
    if (to?.[2] === 'capital' && from?.[2] === 'trading') {
      entry(to[1] as string).result += move.amount;
    } else if (from?.[2] === 'capital' && to?.[2] === 'trading') {
      entry(from[1] as string).result -= move.amount;
    } else if (to?.[2] === 'capital') {
      entry(to[1] as string).capitalIn += move.amount;
    } else if (from?.[2] === 'capital') {
      const row = entry(from[1] as string);
      if (move.kind === 'FEE') {
        row.fees += move.amount;
      } else if (move.kind === 'PAYOUT') {
        row.payouts += move.amount;
      } else {
        // Cancellations and refunds give money back before it traded.
        row.capitalIn -= move.amount;
      }
    }
  }
  if (books.size === 0) {
    return [];
  }
  const { pools, auditEntries } = database.schema;
  const rows = await tx
    .select({
      id: pools.id,
      name: pools.name,
      status: pools.status,
      capitalCents: pools.capitalCents,
      realizedPnlCents: pools.realizedPnlCents,
      unrealizedPnlCents: pools.unrealizedPnlCents,
    })
    .from(pools);
  const overrides = new Map<string, { finalEquityCents?: unknown; overridden?: unknown; reason?: unknown }>();
  const audits = await tx
    .select({ targetId: auditEntries.targetId, after: auditEntries.after })
    .from(auditEntries)
    .where(eq(auditEntries.action, 'pool.settlement_paid'));
  for (const audit of audits) {
    if (audit.targetId && audit.after) {
      overrides.set(audit.targetId, audit.after);
    }
  }
  const result: PoolBooksView[] = [];
  for (const pool of rows) {
    const row = books.get(pool.id);
    if (!row) {
      continue;
    }
    const reportedEquityCents = poolEquity(pool.capitalCents, pool.realizedPnlCents, pool.unrealizedPnlCents);
    let unsupported = false;
    let overridden = false;
    let message: string | null = null;
    if (pool.status === 'SETTLED') {
      const finalEquity = row.capitalIn + row.result;
      if (row.fees + row.payouts !== finalEquity) {
        unsupported = true;
        message = `Payouts ${row.payouts} + fees ${row.fees} differ from the final equity ${finalEquity}`;
      } else if (finalEquity !== reportedEquityCents) {
        const audit = overrides.get(pool.id);
        const bounds = settlementOverrideBounds(reportedEquityCents);
        const audited =
          audit?.overridden === true &&
          typeof audit.reason === 'string' &&
          audit.reason.trim() !== '' &&
          audit.finalEquityCents === finalEquity;
        if (audited && finalEquity >= bounds.minCents && finalEquity <= bounds.maxCents) {
          overridden = true;
        } else {
          unsupported = true;
          message = `Settled at ${finalEquity} cents (trading result ${row.result}) but the model's last report supports ${reportedEquityCents} cents${audited ? ', beyond the 5 % an override may move it' : ' and no audited override explains the difference'}`;
        }
      }
    } else if (row.result !== 0) {
      unsupported = true;
      message = `A trading result of ${row.result} cents was posted before the pool settled`;
    }
    result.push({
      poolId: pool.id,
      name: pool.name,
      status: pool.status,
      capitalInCents: row.capitalIn,
      tradingResultCents: row.result,
      feesCents: row.fees,
      payoutsCents: row.payouts,
      reportedEquityCents,
      overridden,
      unsupported,
      message,
    });
  }
  return result;
}
