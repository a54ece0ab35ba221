import type { LedgerTransfer } from '@tradepool/db';
import {
  AppError,
  centsToDecimal,
  formatShares,
  navMicros,
  type PoolStatementView,
  type WalletTransactionPageView,
  type WalletTransactionView,
} from '@tradepool/domain';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';
import { poolView } from '../pools/pool-view';
import { accounts } from './ledger';
import { afterCursor, pageOf } from './paging';

/**
 * shares × NAV in cents, rounded half up. Computed from the NAV exactly as it is shown (6 decimals), so a client
 * multiplying the two strings it received gets the same number.
 */
export function valueOfShares(microShares: bigint, nav: bigint): number {
  // micro-shares × micro-dollars = 10^-12 dollars = 10^-10 cents.
  const scaled = microShares * nav;
  return Number((scaled + 5_000_000_000n) / 10_000_000_000n);
}

/**
 * The caller's statement for a pool: what they put in (investments still held or settled; cancelled and refunded
 * ones gave the money back), their shares, and what those are worth. After settlement the value is what was actually
 * paid out plus the fee withheld, so `payoutCents + feeCents = valueCents` to the cent.
 */
export async function poolStatement(ctx: Context, poolId: string): Promise<PoolStatementView> {
  const user = requireUser(ctx);
  const { pools, investments } = ctx.database.schema;
  const db = ctx.database.db;
  const [pool] = await db.select().from(pools).where(eq(pools.id, poolId)).limit(1);
  const held = pool
    ? await db
        .select()
        .from(investments)
        .where(
          and(
            eq(investments.poolId, poolId),
            eq(investments.userId, user.id),
            inArray(investments.status, ['ACTIVE', 'SETTLED']),
          ),
        )
    : [];
  // A pool that does not exist and a pool the caller holds nothing in look the same: no probing for pool ids.
  if (!pool || held.length === 0) {
    throw new AppError('NOT_FOUND', 'You hold nothing in this pool');
  }
  const view = poolView(pool);
  const investedCents = held.reduce((sum, row) => sum + row.amountCents, 0);
  const microShares = held.reduce((sum, row) => sum + BigInt(row.shares), 0n);
  // Settled: what was paid out (and the fee taken) is the value; before that, the shares at the current NAV.
  const paid =
    pool.status === 'SETTLED'
      ? {
          payoutCents: held.reduce((sum, row) => sum + (row.payoutCents ?? 0), 0),
          feeCents: held.reduce((sum, row) => sum + (row.feeCents ?? 0), 0),
        }
      : null;
  const valueCents = paid
    ? paid.payoutCents + paid.feeCents
    : valueOfShares(microShares, navMicros(view.equityCents, pool.totalShares));
  return {
    poolId,
    status: pool.status,
    investedCents,
    shares: formatShares(Number(microShares)),
    navPerShare: view.navPerShare,
    valueCents,
    profitCents: valueCents - investedCents,
    feeCents: paid?.feeCents ?? null,
    payoutCents: paid?.payoutCents ?? null,
  };
}

/** Statements of every pool the caller holds (or held until settlement), newest investment first. */
export async function myStatements(ctx: Context): Promise<PoolStatementView[]> {
  const user = requireUser(ctx);
  const { investments } = ctx.database.schema;
  const rows = await ctx.database.db
    .selectDistinct({ poolId: investments.poolId })
    .from(investments)
    .where(and(eq(investments.userId, user.id), inArray(investments.status, ['ACTIVE', 'SETTLED'])));
  const statements = await Promise.all(rows.map((row) => poolStatement(ctx, row.poolId)));
  return statements;
}

export const MAX_TRANSACTIONS_PAGE = 200;

function poolIdOf(transfer: LedgerTransfer): string | null {
  const poolId = transfer.reference?.poolId;
  return typeof poolId === 'string' ? poolId : null;
}

function describe(
  transfer: LedgerTransfer,
  poolName: string | null,
  withdrawalStatus: string | null,
): string {
  const pool = poolName ?? 'a pool';
  switch (transfer.kind) {
    case 'DEPOSIT':
      return transfer.reference?.provider === 'stripe' ? 'Deposit (card)' : 'Deposit';
    case 'SUBSCRIPTION':
      return 'Subscription renewal';
    case 'INVEST':
      return `Invested in ${pool}`;
    case 'INVEST_CANCEL':
      return `Investment cancelled: ${pool}`;
    case 'REFUND':
      return `Refund from ${pool} (pool cancelled)`;
    case 'PAYOUT':
      return `Payout from ${pool}`;
    case 'WITHDRAW_HOLD':
      return 'Withdrawal requested';
    case 'WITHDRAW_RELEASE':
      return withdrawalStatus === 'REJECTED'
        ? 'Withdrawal rejected: funds back in the wallet'
        : 'Withdrawal cancelled: funds back in the wallet';
    case 'WITHDRAW_PAYOUT':
      return 'Withdrawal paid out';
    default:
      return transfer.kind.charAt(0) + transfer.kind.slice(1).toLowerCase().replaceAll('_', ' ');
  }
}

/**
 * The caller's wallet movements (every transfer into or out of their cash or held account), newest first, one page
 * at a time. Card-paid subscriptions never pass through the wallet and so are not listed; renewals paid from the
 * wallet are.
 */
export async function walletTransactions(
  ctx: Context,
  input: { cursor?: string | undefined; limit?: number | undefined },
): Promise<WalletTransactionPageView> {
  const user = requireUser(ctx);
  const limit = Math.min(Math.max(input.limit ?? 50, 1), MAX_TRANSACTIONS_PAGE);
  const { ledgerTransfers, pools, withdrawals } = ctx.database.schema;
  const db = ctx.database.db;
  const cash = accounts.cash(user.id).id;
  const held = accounts.held(user.id).id;
  const mine = or(
    eq(ledgerTransfers.fromAccountId, cash),
    eq(ledgerTransfers.toAccountId, cash),
    eq(ledgerTransfers.fromAccountId, held),
    eq(ledgerTransfers.toAccountId, held),
  );
  const rows = await db
    .select()
    .from(ledgerTransfers)
    .where(and(mine, afterCursor(input.cursor, ledgerTransfers.createdAt, ledgerTransfers.id)))
    .orderBy(desc(ledgerTransfers.createdAt), desc(ledgerTransfers.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const poolIds = [...new Set(page.map(poolIdOf).filter((id): id is string => id !== null))];
  const names = new Map(
    poolIds.length === 0
      ? []
      : (
          await db.select({ id: pools.id, name: pools.name }).from(pools).where(inArray(pools.id, poolIds))
        ).map((p) => [p.id, p.name] as const),
  );
  const withdrawalIds = page
    .filter((t) => t.kind === 'WITHDRAW_RELEASE' && typeof t.reference?.withdrawalId === 'string')
    .map((t) => t.reference?.withdrawalId as string);
  const statuses = new Map(
    withdrawalIds.length === 0
      ? []
      : (
          await db
            .select({ id: withdrawals.id, status: withdrawals.status })
            .from(withdrawals)
            .where(inArray(withdrawals.id, withdrawalIds))
        ).map((w) => [w.id, w.status] as const),
  );
  return pageOf(rows, limit, (t): WalletTransactionView => {
    const poolId = poolIdOf(t);
    const withdrawalId = typeof t.reference?.withdrawalId === 'string' ? t.reference.withdrawalId : null;
    return {
      id: t.id,
      at: t.createdAt.toISOString(),
      kind: t.kind,
      description: describe(
        t,
        poolId ? (names.get(poolId) ?? null) : null,
        withdrawalId ? (statuses.get(withdrawalId) ?? null) : null,
      ),
      amountCents:
        (t.toAccountId === cash ? t.amountCents : 0) - (t.fromAccountId === cash ? t.amountCents : 0),
      heldCents:
        (t.toAccountId === held ? t.amountCents : 0) - (t.fromAccountId === held ? t.amountCents : 0),
      poolId,
    };
  });
}

/** At most this many rows go into one CSV download (years of activity for a person; bounded for the server). */
export const MAX_CSV_ROWS = 50_000;

function csvField(value: string | number | null, freeText = false): string {
  if (value === null) {
    return '';
  }
  const text = String(value);
  // Quote anything with a separator, quote or line break; free text (a pool's name) starting with =, +, - or @ is
  // neutralised so a spreadsheet never runs it as a formula.
  const safe = freeText && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Every wallet movement of the caller as CSV (newest first), with amounts in cents and in dollars. */
export async function walletTransactionsCsv(ctx: Context): Promise<string> {
  const lines = ['id,at,kind,description,amountCents,heldCents,amount,held,poolId'];
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await walletTransactions(ctx, { cursor, limit: MAX_TRANSACTIONS_PAGE });
    for (const t of page.items) {
      lines.push(
        [
          t.id,
          t.at,
          t.kind,
          t.description,
          t.amountCents,
          t.heldCents,
          centsToDecimal(t.amountCents),
          centsToDecimal(t.heldCents),
          t.poolId,
        ]
          .map((value, i) => csvField(value, i === 3))
          .join(','),
      );
    }
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && count < MAX_CSV_ROWS);
  return `${lines.join('\r\n')}\r\n`;
}
