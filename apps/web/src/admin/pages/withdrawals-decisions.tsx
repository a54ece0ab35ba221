import { Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { DecisionModal } from '../../components/decision-modal';
import { Caption } from '../../components/labeled-value';
import { confirmAction } from '../../components/modal-actions';
import { appCode, errorMessage } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import { trpc } from '../../lib/trpc';
import type { Withdrawal } from './withdrawals-queue';

function useRefresh() {
  const utils = trpc.useUtils();
  return () => {
    void utils.withdrawals.list.invalidate();
    void utils.admin.dashboard.summary.invalidate();
  };
}

/** A decision someone else already made (409): say so and show the list as it is now. */
function onDecisionError(error: unknown, refresh: () => void) {
  const conflict = appCode(error) === 'CONFLICT';
  notifications.show({
    color: conflict ? 'orange' : 'red',
    title: conflict ? 'Already resolved' : 'Nothing changed',
    message: conflict ? `${errorMessage(error)}. The list is refreshed.` : errorMessage(error),
  });
  if (conflict) {
    refresh();
  }
}

/** The request a decision is about, and who asked (as the dialogs name them). */
export interface Target {
  withdrawal: Withdrawal;
  who: string;
}

/** Runs a decision; a conflict (someone else decided first) closes the modal and refreshes, other errors stay in it. */
async function decide<T>(
  run: () => Promise<T>,
  refresh: () => void,
  onClose: () => void,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (appCode(error) === 'CONFLICT') {
      onDecisionError(error, refresh);
      onClose();
      return undefined;
    }
    throw error;
  }
}

/** Rejecting a request, with the reason the investor is emailed; the amount goes back to their wallet. */
export function RejectModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const reject = trpc.admin.withdrawals.reject.useMutation();
  const refresh = useRefresh();
  return (
    <DecisionModal
      target={target}
      onClose={onClose}
      title="Reject withdrawal"
      confirmLabel="Reject withdrawal"
      color="red"
      field={{
        name: 'reason',
        label: 'Reason',
        placeholder: 'e.g. The bank details on file could not be verified',
        maxLength: 500,
        minLength: 3,
        tooShort: 'Say why, in a few words (they will read it)',
        multiline: true,
      }}
      onConfirm={async ({ withdrawal, who }, reason) => {
        const saved = await decide(() => reject.mutateAsync({ id: withdrawal.id, reason }), refresh, onClose);
        if (saved) {
          notifications.show({
            color: 'teal',
            title: 'Withdrawal rejected',
            message: `${formatCents(saved.amountCents)} is back in ${who}’s wallet.`,
          });
          refresh();
          onClose();
        }
      }}
    >
      {({ withdrawal, who }) => (
        <Text size="sm">
          Reject <b>{formatCents(withdrawal.amountCents)}</b> for <b>{who}</b>? The amount returns to their
          wallet and they are emailed your reason.
        </Text>
      )}
    </DecisionModal>
  );
}

/** Recording the bank transfer that paid a request, with its reference, after showing where to pay. */
export function PaidModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const markPaid = trpc.admin.withdrawals.markPaid.useMutation();
  const refresh = useRefresh();
  return (
    <DecisionModal
      target={target}
      onClose={onClose}
      title="Mark withdrawal as paid"
      confirmLabel="Mark as paid"
      color="teal"
      field={{
        name: 'reference',
        label: 'Payout reference',
        description: "The bank transfer's reference, so the payment can be traced",
        placeholder: 'e.g. SEPA-2025-000123',
        maxLength: 200,
        minLength: 3,
        tooShort: 'Enter the bank transfer reference (at least 3 characters)',
      }}
      onConfirm={async ({ withdrawal, who }, reference) => {
        const saved = await decide(
          () => markPaid.mutateAsync({ id: withdrawal.id, reference }),
          refresh,
          onClose,
        );
        if (saved) {
          notifications.show({
            color: 'teal',
            title: 'Marked as paid',
            message: `${formatCents(saved.amountCents)} to ${who}, reference ${saved.reference ?? reference}.`,
          });
          refresh();
          onClose();
        }
      }}
    >
      {({ withdrawal, who }) => (
        <>
          <Text size="sm">
            Confirm that <b>{formatCents(withdrawal.amountCents)}</b> was sent to <b>{who}</b>. The held
            amount leaves Tradepool; this cannot be undone.
          </Text>
          <Paper withBorder radius="md" p="sm" data-testid="paid-destination">
            <Caption>Pay to</Caption>
            <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
              {withdrawal.payoutDestination ?? 'Not given with the request: ask the investor before paying.'}
            </Text>
          </Paper>
        </>
      )}
    </DecisionModal>
  );
}

/** Approving a request: asks first, then tells the investor; the amount stays held until it is marked paid. */
export function useApprove() {
  const approve = trpc.admin.withdrawals.approve.useMutation();
  const refresh = useRefresh();
  return ({ withdrawal, who }: Target) =>
    confirmAction({
      title: `Approve ${formatCents(withdrawal.amountCents)} for ${who}?`,
      body: (
        <>
          They are told it was approved. The amount stays held until you mark it paid, once the bank transfer
          is made.
        </>
      ),
      confirmLabel: 'Approve',
      cancelLabel: 'Cancel',
      onConfirm: () =>
        approve.mutate(
          { id: withdrawal.id },
          {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: 'Withdrawal approved',
                message: `${formatCents(withdrawal.amountCents)} for ${who}. Mark it paid once the transfer is made.`,
              });
              refresh();
            },
            onError: (error) => onDecisionError(error, refresh),
          },
        ),
    });
}
