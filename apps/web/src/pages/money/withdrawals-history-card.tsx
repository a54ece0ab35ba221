import { Button, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCashBanknote, IconX } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { DateTimeText } from '../../components/date-time-text';
import { type ListEmpty, ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { ListCard } from '../../components/money/list-card';
import { WITHDRAWAL_STATUS_META, WithdrawalStatusBadge } from '../../components/money/money-badges';
import { errorMessage } from '../../lib/errors';
import { formatMoney, formatShortDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';

type Withdrawal = RouterOutputs['withdrawals']['list']['items'][number];

function useCancelWithdrawal() {
  const utils = trpc.useUtils();
  const cancel = trpc.withdrawals.cancel.useMutation();
  return (withdrawal: Withdrawal) =>
    confirmAction({
      title: `Cancel the withdrawal of ${formatMoney(withdrawal.amountCents)}?`,
      body: (
        <>
          The request is withdrawn and {formatMoney(withdrawal.amountCents)} returns to your available
          balance.
        </>
      ),
      confirmLabel: 'Cancel withdrawal',
      cancelLabel: 'Keep it',
      danger: true,
      onConfirm: () =>
        cancel.mutate(
          { id: withdrawal.id },
          {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: 'Withdrawal cancelled',
                message: `${formatMoney(withdrawal.amountCents)} is back in your wallet.`,
              });
              void utils.withdrawals.list.invalidate();
              void utils.wallet.get.invalidate();
              void utils.wallet.history.invalidate();
            },
            onError: (error) => {
              notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(error) });
              void utils.withdrawals.list.invalidate();
            },
          },
        ),
    });
}

function Details({ withdrawal }: { withdrawal: Withdrawal }) {
  if (withdrawal.status === 'REJECTED' && withdrawal.reason) {
    return (
      <Text size="sm" c="red.7">
        {withdrawal.reason}
      </Text>
    );
  }
  if (withdrawal.status === 'PAID') {
    return (
      <Text size="sm">
        {withdrawal.paidAt ? `Paid ${formatShortDateTime(withdrawal.paidAt)}` : 'Paid'}
        {withdrawal.payoutDestination ? ` to ${withdrawal.payoutDestination}` : ''}
        {withdrawal.reference ? (
          <Text span size="xs" c="dimmed" ff="monospace">
            {' '}
            · ref {withdrawal.reference}
          </Text>
        ) : null}
      </Text>
    );
  }
  return (
    <Text size="sm" c="dimmed">
      {WITHDRAWAL_STATUS_META[withdrawal.status].help}
      {withdrawal.payoutDestination ? (
        <Text span size="xs" c="dimmed" display="block" data-testid="withdrawal-destination">
          To {withdrawal.payoutDestination}
        </Text>
      ) : null}
    </Text>
  );
}

const NO_WITHDRAWALS: ListEmpty = {
  icon: IconCashBanknote,
  title: 'No withdrawals yet',
  description: 'Requests you make appear here with their status.',
  py: 40,
  'data-testid': 'withdrawals-empty',
};

/** The investor's requests, newest first, a page at a time, with Cancel while one waits for review. */
export function HistoryCard() {
  // Cursor-paged: the newest page first, older ones on demand.
  const list = trpc.withdrawals.list.useInfiniteQuery(
    { limit: 100 },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const items = list.data?.pages.flatMap((page) => page.items);
  const cancel = useCancelWithdrawal();

  return (
    <ListCard icon={IconCashBanknote} title="Your withdrawals">
      <ListState
        query={list}
        items={items}
        errorTitle="Could not load your withdrawals"
        empty={NO_WITHDRAWALS}
        table={{
          minWidth: 620,
          columns: 5,
          skeletonHeight: 20,
          props: { 'data-testid': 'withdrawals-table' },
          head: (
            <>
              <Table.Th>Requested</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Details</Table.Th>
              <Table.Th w={48} />
            </>
          ),
        }}
        pager={{
          hasMore: list.hasNextPage,
          loadingMore: list.isFetchingNextPage,
          onLoadMore: () => list.fetchNextPage(),
          variant: 'light',
          'data-testid': 'withdrawals-load-more',
        }}
      >
        {(rows) =>
          rows.map((withdrawal) => (
            <Table.Tr key={withdrawal.id} data-testid="withdrawal-row" data-status={withdrawal.status}>
              <Table.Td>
                <DateTimeText at={withdrawal.createdAt} />
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatMoney(withdrawal.amountCents)}
                </Text>
              </Table.Td>
              <Table.Td>
                <WithdrawalStatusBadge status={withdrawal.status} />
              </Table.Td>
              <Table.Td>
                <Details withdrawal={withdrawal} />
              </Table.Td>
              <Table.Td>
                {withdrawal.status === 'REQUESTED' ? (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    leftSection={<IconX size={14} />}
                    onClick={() => cancel(withdrawal)}
                    aria-label={`Cancel the withdrawal of ${formatMoney(withdrawal.amountCents)}`}
                  >
                    Cancel
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListState>
    </ListCard>
  );
}
