import type { WalletHistoryEntry } from '@tradepool/domain';
import { desc, eq, or } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';
import { accounts } from './ledger';

/** The caller's latest transfers touching their cash or held account, newest first, as changes of each balance. */
export async function walletHistory(ctx: Context, limit: number): Promise<WalletHistoryEntry[]> {
  const user = requireUser(ctx);
  const { ledgerTransfers } = ctx.database.schema;
  const cash = accounts.cash(user.id).id;
  const held = accounts.held(user.id).id;
  const rows = await ctx.database.db
    .select()
    .from(ledgerTransfers)
    .where(
      or(
        eq(ledgerTransfers.fromAccountId, cash),
        eq(ledgerTransfers.toAccountId, cash),
        eq(ledgerTransfers.fromAccountId, held),
        eq(ledgerTransfers.toAccountId, held),
      ),
    )
    .orderBy(desc(ledgerTransfers.createdAt), desc(ledgerTransfers.id))
    .limit(limit);
  return rows.map((t) => ({
    id: t.id,
    kind: t.kind,
    at: t.createdAt.toISOString(),
    cashDeltaCents:
      (t.toAccountId === cash ? t.amountCents : 0) - (t.fromAccountId === cash ? t.amountCents : 0),
    heldDeltaCents:
      (t.toAccountId === held ? t.amountCents : 0) - (t.fromAccountId === held ? t.amountCents : 0),
    reference: t.reference,
  }));
}
