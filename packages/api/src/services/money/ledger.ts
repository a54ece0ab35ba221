import { type Database, type Db, type JsonObject, newId } from '@tradepool/db';
import { AppError, type LedgerCheckView, REFUSAL } from '@tradepool/domain';
import { and, eq, gte, or, sql } from 'drizzle-orm';
import { explainPools } from './pool-books';

export type AccountKind =
  | 'USER_CASH'
  | 'USER_HELD'
  | 'POOL_CAPITAL'
  | 'POOL_TRADING'
  | 'PLATFORM_REVENUE'
  | 'EXTERNAL';

export const accounts = {
  cash: (userId: string) => ({
    id: `user:${userId}:cash`,
    kind: 'USER_CASH' as const,
    ownerId: userId,
    allowNegative: false,
  }),
  held: (userId: string) => ({
    id: `user:${userId}:held`,
    kind: 'USER_HELD' as const,
    ownerId: userId,
    allowNegative: false,
  }),
  capital: (poolId: string) => ({
    id: `pool:${poolId}:capital`,
    kind: 'POOL_CAPITAL' as const,
    ownerId: poolId,
    allowNegative: false,
  }),
  /** Gains and losses of the pool's trading: negative when the pool made money (it owes capital), positive on loss. */
  trading: (poolId: string) => ({
    id: `pool:${poolId}:trading`,
    kind: 'POOL_TRADING' as const,
    ownerId: poolId,
    allowNegative: true,
  }),
  revenue: { id: 'platform:revenue', kind: 'PLATFORM_REVENUE' as const, ownerId: null, allowNegative: false },
  /** The outside world: money in from payments, out to banks. Negative by design. */
  external: { id: 'external', kind: 'EXTERNAL' as const, ownerId: null, allowNegative: true },
};

export type AccountRef = { id: string; kind: AccountKind; ownerId: string | null; allowNegative: boolean };

export class InsufficientFunds extends AppError {
  constructor(
    readonly accountId: string,
    message = 'Insufficient funds',
  ) {
    super('CONFLICT', message, { details: { reason: REFUSAL.INSUFFICIENT_FUNDS } });
  }
}

async function ensureAccount(database: Database, tx: Db, account: AccountRef): Promise<void> {
  const { ledgerAccounts } = database.schema;
  await tx
    .insert(ledgerAccounts)
    .values({
      id: account.id,
      kind: account.kind,
      ownerId: account.ownerId,
      allowNegative: account.allowNegative,
      balanceCents: 0,
    })
    .onConflictDoNothing({ target: ledgerAccounts.id });
}

export interface TransferInput {
  from: AccountRef;
  to: AccountRef;
  amountCents: number;
  kind: string;
  /** Unique per movement: a replay with the same key changes nothing and returns false. */
  idempotencyKey: string;
  reference?: JsonObject;
  at: Date;
}

/**
 * Moves money between two accounts inside the caller's transaction. The debit is a conditional update
 * (`balance >= amount` unless the account may go negative), never read-then-write, so concurrent transfers can
 * never overdraw. Throws InsufficientFunds (rolling the whole transaction back) when the source cannot pay.
 * Returns false when a transfer with this idempotency key already exists.
 */
export async function transfer(database: Database, tx: Db, input: TransferInput): Promise<boolean> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
    throw new Error(`transfer amount must be a positive safe integer, got ${input.amountCents}`);
  }
  if (input.from.id === input.to.id) {
    throw new Error('transfer to the same account');
  }
  const { ledgerAccounts, ledgerTransfers } = database.schema;
  await ensureAccount(database, tx, input.from);
  await ensureAccount(database, tx, input.to);
  const inserted = await tx
    .insert(ledgerTransfers)
    .values({
      id: newId(),
      fromAccountId: input.from.id,
      toAccountId: input.to.id,
      amountCents: input.amountCents,
      kind: input.kind,
      idempotencyKey: input.idempotencyKey,
      reference: input.reference ?? null,
      createdAt: input.at,
    })
    .onConflictDoNothing({ target: ledgerTransfers.idempotencyKey })
    .returning({ id: ledgerTransfers.id });
  if (inserted.length === 0) {
    return false;
  }
  const debit = async () => {
    const debited = await tx
      .update(ledgerAccounts)
      .set({ balanceCents: sql`${ledgerAccounts.balanceCents} - ${input.amountCents}`, updatedAt: input.at })
      .where(
        and(
          eq(ledgerAccounts.id, input.from.id),
          or(eq(ledgerAccounts.allowNegative, true), gte(ledgerAccounts.balanceCents, input.amountCents)),
        ),
      )
      .returning({ id: ledgerAccounts.id });
    if (debited.length === 0) {
      throw new InsufficientFunds(input.from.id);
    }
  };
  const credit = () =>
    tx
      .update(ledgerAccounts)
      .set({ balanceCents: sql`${ledgerAccounts.balanceCents} + ${input.amountCents}`, updatedAt: input.at })
      .where(eq(ledgerAccounts.id, input.to.id));
  // Row locks are always taken in account-id order, so two opposite transfers cannot deadlock on Postgres.
  if (input.from.id < input.to.id) {
    await debit();
    await credit();
  } else {
    await credit();
    await debit();
  }
  return true;
}

export async function balanceOf(database: Database, handle: Db, accountId: string): Promise<number> {
  const { ledgerAccounts } = database.schema;
  const [row] = await handle
    .select({ balanceCents: ledgerAccounts.balanceCents })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.id, accountId))
    .limit(1);
  return row?.balanceCents ?? 0;
}

/**
 * Proves the books: the balances sum to zero, no forbidden balance is negative, and every stored balance equals the
 * sum of the transfers in and out of its account. Reads in one transaction for a consistent snapshot.
 */
export async function checkLedger(database: Database): Promise<LedgerCheckView> {
  const { ledgerAccounts, ledgerTransfers } = database.schema;
  return database.transaction(async (tx) => {
    const rows = await tx.select().from(ledgerAccounts);
    const moves = await tx
      .select({
        from: ledgerTransfers.fromAccountId,
        to: ledgerTransfers.toAccountId,
        amount: ledgerTransfers.amountCents,
        kind: ledgerTransfers.kind,
      })
      .from(ledgerTransfers);
    const derived = new Map<string, bigint>();
    for (const move of moves) {
      derived.set(move.from, (derived.get(move.from) ?? 0n) - BigInt(move.amount));
      derived.set(move.to, (derived.get(move.to) ?? 0n) + BigInt(move.amount));
    }
    let total = 0n;
    const negative: LedgerCheckView['negative'] = [];
    const mismatched: LedgerCheckView['mismatched'] = [];
    for (const row of rows) {
      total += BigInt(row.balanceCents);
      if (!row.allowNegative && row.balanceCents < 0) {
        negative.push({ id: row.id, balanceCents: row.balanceCents });
      }
      const fromTransfers = derived.get(row.id) ?? 0n;
      if (fromTransfers !== BigInt(row.balanceCents)) {
        mismatched.push({
          id: row.id,
          balanceCents: row.balanceCents,
          fromTransfersCents: Number(fromTransfers),
        });
      }
    }
    const pools = await explainPools(database, tx, moves);
    return {
      balanced: total === 0n && negative.length === 0 && mismatched.length === 0,
      totalCents: Number(total),
      accounts: rows.length,
      transfers: moves.length,
      negative,
      mismatched,
      pools,
      unsupported: pools.filter((p) => p.unsupported).length,
    };
  });
}
