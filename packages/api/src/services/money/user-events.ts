import type { Db } from '@tradepool/db';
import type { ServiceDeps } from '../../context';
import { appendEvent } from '../events/event-store';
import { accounts, balanceOf } from './ledger';

export async function walletOf(deps: Pick<ServiceDeps, 'database'>, handle: Db, userId: string) {
  return {
    balanceCents: await balanceOf(deps.database, handle, accounts.cash(userId).id),
    heldCents: await balanceOf(deps.database, handle, accounts.held(userId).id),
  };
}

/** Announces the user's new balances to them (and only them) in the same transaction. */
export async function announceWallet(deps: ServiceDeps, tx: Db, userId: string) {
  const wallet = await walletOf(deps, tx, userId);
  await appendEvent(deps, tx, { type: 'wallet:update', userId, data: wallet });
  return wallet;
}
