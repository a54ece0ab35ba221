import { Alert, Button, Card, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { IconCashBanknote, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { type ListEmpty, ListState } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatCount } from '../../lib/format';
import { formatCents } from '../../lib/money';
import { useUserDirectory } from '../use-user-directory';
import { PaidModal, RejectModal, type Target, useApprove } from './withdrawals-decisions';
import { FILTERS, type Filter, isFilter, POLL_MS, useQueue } from './withdrawals-queue';
import { type Who, WithdrawalRow } from './withdrawals-row';

const NOTHING_WAITING: ListEmpty = {
  icon: IconCashBanknote,
  title: 'Nothing waiting',
  description: 'New requests appear here as investors make them.',
  'data-testid': 'admin-withdrawals-empty',
};

const NONE_WITH_STATUS: ListEmpty = {
  icon: IconCashBanknote,
  title: 'No withdrawals here',
  description: 'No withdrawal has this status.',
  'data-testid': 'admin-withdrawals-empty',
};

/** Every investor's withdrawals, open ones first: approve, reject with a reason, record the payout. ADMIN only. */
export function AdminWithdrawalsPage() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const filter: Filter = isFilter(raw) ? raw : 'open';
  const queue = useQueue(filter);
  const directory = useUserDirectory(queue.items?.map((item) => item.userId) ?? []);
  const approve = useApprove();
  const [rejecting, setRejecting] = useState<Target | null>(null);
  const [paying, setPaying] = useState<Target | null>(null);

  const whoIs = (userId: string): Who => {
    const user = directory.data?.get(userId);
    return {
      name: user?.displayName ?? null,
      email: user?.email ?? null,
      label: user?.email ?? `user ${userId}`,
    };
  };
  const openTotal = (queue.items ?? []).reduce((sum, item) => sum + item.amountCents, 0);

  return (
    <>
      <PageHeader
        title="Withdrawals"
        description="Review what investors asked to take out: approve, then mark paid once the bank transfer is made."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={() => queue.refetch()}
            loading={queue.isFetching && !queue.isPending}
          >
            Refresh
          </Button>
        }
      />
      <Card p={0}>
        <Group p="md" justify="space-between" gap="sm" wrap="wrap">
          <SegmentedControl
            data={FILTERS.map((item) => ({ value: item.value, label: item.label }))}
            value={filter}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              if (value === 'open') {
                next.delete('status');
              } else {
                next.set('status', value);
              }
              setParams(next, { replace: true });
            }}
            aria-label="Status filter"
            size="sm"
            style={{ maxWidth: '100%', overflowX: 'auto' }}
          />
          {queue.items ? (
            <Text size="sm" c="dimmed" data-testid="withdrawals-summary">
              {formatCount(queue.items.length, 'withdrawal')} · {formatCents(openTotal)}
            </Text>
          ) : null}
        </Group>

        <ListState
          query={queue}
          items={queue.items}
          errorTitle="Could not load withdrawals"
          empty={filter === 'open' ? NOTHING_WAITING : NONE_WITH_STATUS}
          table={{
            minWidth: 840,
            columns: 5,
            props: { highlightOnHover: true, 'data-testid': 'admin-withdrawals-table' },
            head: (
              <>
                <Table.Th>Investor</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Requested</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </>
            ),
          }}
          pager={{
            hasMore: queue.hasMore,
            loadingMore: queue.loadingMore,
            onLoadMore: queue.loadMore,
            variant: 'light',
            'data-testid': 'withdrawals-load-more',
          }}
        >
          {(items) =>
            items.map((withdrawal) => (
              <WithdrawalRow
                key={withdrawal.id}
                withdrawal={withdrawal}
                who={whoIs(withdrawal.userId)}
                loadingWho={directory.isPending}
                onApprove={approve}
                onPay={setPaying}
                onReject={setRejecting}
              />
            ))
          }
        </ListState>
      </Card>
      {filter === 'open' ? (
        <Alert color="gray" mt="md">
          <Text size="sm" c="dimmed">
            Oldest first. The list refreshes every {POLL_MS / 1000} seconds; a decision someone else made
            first is refused and the list is refreshed.
          </Text>
        </Alert>
      ) : null}
      <RejectModal target={rejecting} onClose={() => setRejecting(null)} />
      <PaidModal target={paying} onClose={() => setPaying(null)} />
    </>
  );
}
