import { type Db, newId, type Withdrawal } from '@tradepool/db';
import { AppError, REFUSAL, type WithdrawalView } from '@tradepool/domain';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { appendEvent, eventsTransaction } from '../events/event-store';
import { once } from './idempotency';
import { accounts, InsufficientFunds, transfer } from './ledger';
import { dollars, queueMail } from './mail';
import { afterCursor, DEFAULT_PAGE, type Page, pageOf } from './paging';
import { announceWallet } from './user-events';

export function withdrawalView(row: Withdrawal): WithdrawalView {
  return {
    id: row.id,
    userId: row.userId,
    amountCents: row.amountCents,
    status: row.status,
    reason: row.reason,
    reference: row.reference,
    payoutDestination: row.payoutDestination ?? null,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    paidAt: row.paidAt?.toISOString() ?? null,
  };
}

async function announce(deps: ServiceDeps, tx: Db, row: Withdrawal) {
  await appendEvent(deps, tx, {
    type: 'withdrawal:update',
    userId: row.userId,
    data: { withdrawal: { ...withdrawalView(row) } },
  });
  await announceWallet(deps, tx, row.userId);
}

/** Holds the amount (cash → held) until an admin decides: the balance cannot be spent twice meanwhile. */
export async function requestWithdrawal(
  ctx: Context,
  amountCents: number,
  idempotencyKey?: string | null,
  payoutDestination?: string | null,
): Promise<WithdrawalView> {
  const destination = payoutDestination?.trim() || null;
  const user = requireUser(ctx);
  const { withdrawals } = ctx.database.schema;
  const { value } = await eventsTransaction(ctx, (tx) =>
    once(
      ctx,
      tx,
      {
        userId: user.id,
        key: idempotencyKey,
        operation: 'withdraw',
        // The amount alone when no destination is given: keys stored before destinations existed still match.
        body: destination === null ? amountCents : { amountCents, payoutDestination: destination },
      },
      async () => {
        const now = ctx.clock.now();
        const [row] = await tx
          .insert(withdrawals)
          .values({
            id: newId(),
            userId: user.id,
            amountCents,
            status: 'REQUESTED',
            payoutDestination: destination,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!row) {
          throw new Error('withdrawal insert returned nothing');
        }
        try {
          await transfer(ctx.database, tx, {
            from: accounts.cash(user.id),
            to: accounts.held(user.id),
            amountCents,
            kind: 'WITHDRAW_HOLD',
            idempotencyKey: `withdraw:${row.id}:hold`,
            reference: { withdrawalId: row.id },
            at: now,
          });
        } catch (error) {
          if (error instanceof InsufficientFunds) {
            throw new AppError('CONFLICT', 'Not enough money in your wallet for this withdrawal', {
              details: { reason: REFUSAL.INSUFFICIENT_FUNDS },
            });
          }
          throw error;
        }
        await announce(ctx, tx, row);
        await recordAudit(ctx, tx, {
          actor: { id: user.id, email: user.email },
          action: 'withdrawal.requested',
          target: { type: 'withdrawal', id: row.id },
          after: { amountCents, payoutDestination: destination },
          ip: ctx.ip,
        });
        return withdrawalView(row);
      },
    ),
  );
  return value;
}

type Decision =
  | { action: 'cancel' }
  | { action: 'approve' }
  | { action: 'reject'; reason: string }
  | { action: 'markPaid'; reference: string };

const FROM: Record<Decision['action'], Withdrawal['status'][]> = {
  cancel: ['REQUESTED'],
  approve: ['REQUESTED'],
  reject: ['REQUESTED', 'APPROVED'],
  markPaid: ['APPROVED'],
};
const TO: Record<Decision['action'], Withdrawal['status']> = {
  cancel: 'CANCELLED',
  approve: 'APPROVED',
  reject: 'REJECTED',
  markPaid: 'PAID',
};

/**
 * Resolves a withdrawal. The status changes with a conditional update on the statuses it may come from, so two
 * admins (or an admin and the owner) acting at once produce exactly one resolution and one ledger posting; the loser
 * gets a 409. Owners may only cancel their own (others get NOT_FOUND).
 */
export async function decideWithdrawal(
  ctx: Context,
  id: string,
  decision: Decision,
): Promise<WithdrawalView> {
  const actor = requireUser(ctx);
  const { withdrawals, users } = ctx.database.schema;
  return eventsTransaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    const [existing] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).limit(1);
    if (!existing || (decision.action === 'cancel' && existing.userId !== actor.id)) {
      throw new AppError('NOT_FOUND', 'No such withdrawal');
    }
    const [row] = await tx
      .update(withdrawals)
      .set({
        status: TO[decision.action],
        updatedAt: now,
        ...(decision.action === 'reject' ? { reason: decision.reason } : {}),
        ...(decision.action === 'markPaid' ? { reference: decision.reference, paidAt: now } : {}),
        ...(decision.action !== 'cancel' && decision.action !== 'markPaid'
          ? { decidedById: actor.id, decidedAt: now }
          : {}),
      })
      .where(and(eq(withdrawals.id, id), inArray(withdrawals.status, FROM[decision.action])))
      .returning();
    if (!row) {
      throw new AppError(
        'CONFLICT',
        `This withdrawal is ${existing.status}: it cannot be ${TO[decision.action].toLowerCase()} now`,
      );
    }
    if (decision.action === 'cancel' || decision.action === 'reject') {
      await transfer(ctx.database, tx, {
        from: accounts.held(row.userId),
        to: accounts.cash(row.userId),
        amountCents: row.amountCents,
        kind: 'WITHDRAW_RELEASE',
        idempotencyKey: `withdraw:${row.id}:release`,
        reference: { withdrawalId: row.id },
        at: now,
      });
    }
    if (decision.action === 'markPaid') {
      await transfer(ctx.database, tx, {
        from: accounts.held(row.userId),
        to: accounts.external,
        amountCents: row.amountCents,
        kind: 'WITHDRAW_PAYOUT',
        idempotencyKey: `withdraw:${row.id}:payout`,
        reference: { withdrawalId: row.id, reference: decision.reference },
        at: now,
      });
    }
    await announce(ctx, tx, row);
    await recordAudit(ctx, tx, {
      actor: { id: actor.id, email: actor.email },
      action: `withdrawal.${decision.action === 'markPaid' ? 'paid' : TO[decision.action].toLowerCase()}`,
      target: { type: 'withdrawal', id: row.id },
      before: { status: existing.status },
      after: {
        status: row.status,
        ...(decision.action === 'reject' ? { reason: decision.reason } : {}),
        ...(decision.action === 'markPaid' ? { reference: decision.reference } : {}),
      },
      ip: ctx.ip,
    });
    if (decision.action !== 'cancel') {
      const [owner] = await tx.select().from(users).where(eq(users.id, row.userId)).limit(1);
      if (owner) {
        const lines: Record<string, string> = {
          approve: `Your withdrawal of ${dollars(row.amountCents)} was approved and will be paid out shortly.`,
          reject: `Your withdrawal of ${dollars(row.amountCents)} was not approved: ${row.reason}. The money is back in your wallet.`,
          markPaid: `Your withdrawal of ${dollars(row.amountCents)} has been paid${row.payoutDestination ? ` to ${row.payoutDestination}` : ''} (reference ${row.reference}).`,
        };
        await queueMail(ctx, tx, {
          to: owner.email,
          subject: `Withdrawal ${row.status.toLowerCase()}: ${dollars(row.amountCents)}`,
          text: `Hello ${owner.displayName},\n\n${lines[decision.action]}\n`,
          kind: `withdrawal_${row.status.toLowerCase()}`,
        });
      }
    }
    return withdrawalView(row);
  });
}

/** Withdrawals newest first, one page at a time (the admin queue used to stop silently at 500). */
export async function listWithdrawals(
  ctx: Context,
  input: {
    all?: boolean | undefined;
    status?: Withdrawal['status'] | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  },
): Promise<Page<WithdrawalView>> {
  const user = requireUser(ctx);
  const { withdrawals } = ctx.database.schema;
  const everyone = input.all === true && user.role === 'ADMIN';
  const limit = input.limit ?? DEFAULT_PAGE;
  const rows = await ctx.database.db
    .select()
    .from(withdrawals)
    .where(
      and(
        everyone ? undefined : eq(withdrawals.userId, user.id),
        input.status ? eq(withdrawals.status, input.status) : undefined,
        afterCursor(input.cursor, withdrawals.createdAt, withdrawals.id),
      ),
    )
    .orderBy(desc(withdrawals.createdAt), desc(withdrawals.id))
    .limit(limit + 1);
  return pageOf(rows, limit, withdrawalView);
}
