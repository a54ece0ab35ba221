import {
  Alert,
  Avatar,
  Button,
  Card,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconCash, IconCashBanknote, IconCheck, IconRefresh } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { DecisionModal } from '../../components/decision-modal';
import { Caption } from '../../components/labeled-value';
import { ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { WithdrawalStatusBadge } from '../../components/money/money-badges';
import { PageHeader } from '../../components/page-header';
import { appCode, errorMessage } from '../../lib/errors';
import { formatCount, formatDateTime, formatRelative, formatShortDateTime } from '../../lib/format';
import { formatCents } from '../../lib/money';
import { trpc } from '../../lib/trpc';
import { useUserDirectory } from '../use-user-directory';

type Withdrawal = RouterOutputs['withdrawals']['list']['items'][number];
type Status = Withdrawal['status'];
type Filter = 'open' | Status | 'all';

const FILTERS: ReadonlyArray<{ value: Filter; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'REQUESTED', label: 'Requested' },
  { value: 'APPROVED', label: 'Approved' },
  { value: 'PAID', label: 'Paid' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'CANCELLED', label: 'Cancelled' },
  { value: 'all', label: 'All' },
];

/** Other people's requests do not reach an admin's socket (user events are private): ask again this often. */
const POLL_MS = 15_000;

function isFilter(value: string | null): value is Filter {
  return FILTERS.some((filter) => filter.value === value);
}

/** Rows per request; the list is cursor-paged (it used to stop silently at 500). */
const PAGE = 200;

/** Fetches the next page as soon as one arrives, until the last (when `enabled`). */
function useFollowAll(
  query: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    isError: boolean;
    fetchNextPage: () => unknown;
  },
  enabled: boolean,
) {
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;
  useEffect(() => {
    if (enabled && hasNextPage && !isFetchingNextPage && !isError) {
      void fetchNextPage();
    }
  }, [enabled, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);
}

/**
 * The queue for one filter. "Open" is REQUESTED and APPROVED: the list takes one status, so it is two queries,
 * merged oldest first (first come, first served). The open queue is work to do, so every page of it is loaded; the
 * other filters are history and load more on demand.
 */
function useQueue(filter: Filter) {
  const nextPage = (page: { nextCursor: string | null }) => page.nextCursor ?? undefined;
  const requested = trpc.withdrawals.list.useInfiniteQuery(
    {
      all: true,
      limit: PAGE,
      status: filter === 'open' ? 'REQUESTED' : filter === 'all' ? undefined : filter,
    },
    { refetchInterval: POLL_MS, getNextPageParam: nextPage },
  );
  const approved = trpc.withdrawals.list.useInfiniteQuery(
    { all: true, limit: PAGE, status: 'APPROVED' },
    { refetchInterval: POLL_MS, enabled: filter === 'open', getNextPageParam: nextPage },
  );
  const parts = filter === 'open' ? [requested, approved] : [requested];
  const wantsAll = filter === 'open';
  useFollowAll(requested, wantsAll);
  useFollowAll(approved, wantsAll);
  const complete = parts.every((part) => part.data && (!wantsAll || !part.hasNextPage));
  const items = complete
    ? parts
        .flatMap((part) => part.data?.pages.flatMap((page) => page.items) ?? [])
        .sort((a, b) =>
          filter === 'open' ? a.createdAt.localeCompare(b.createdAt) : b.createdAt.localeCompare(a.createdAt),
        )
    : undefined;
  return {
    items,
    isPending: parts.some((part) => part.isPending),
    error: parts.find((part) => part.error)?.error ?? null,
    isFetching: parts.some((part) => part.isFetching),
    refetch: () => Promise.all(parts.map((part) => part.refetch())),
    hasMore: !wantsAll && parts.some((part) => part.hasNextPage),
    loadingMore: parts.some((part) => part.isFetchingNextPage),
    loadMore: () => {
      for (const part of parts) {
        if (part.hasNextPage) {
          void part.fetchNextPage();
        }
      }
    },
  };
}

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

interface Target {
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

function RejectModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
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

function PaidModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
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

function useApprove() {
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

function DetailsCell({ withdrawal }: { withdrawal: Withdrawal }) {
  if (withdrawal.status === 'REJECTED') {
    return (
      <Text size="xs" c="dimmed" lineClamp={2}>
        {withdrawal.reason ?? 'Rejected'}
      </Text>
    );
  }
  if (withdrawal.status === 'PAID') {
    return (
      <Text size="xs" c="dimmed">
        ref{' '}
        <Text span ff="monospace" size="xs">
          {withdrawal.reference}
        </Text>
        {withdrawal.paidAt ? ` · ${formatShortDateTime(withdrawal.paidAt)}` : ''}
      </Text>
    );
  }
  if (withdrawal.status === 'APPROVED' && withdrawal.decidedAt) {
    return (
      <Text size="xs" c="dimmed">
        Approved {formatRelative(withdrawal.decidedAt)}
      </Text>
    );
  }
  if (withdrawal.status === 'REQUESTED') {
    return (
      <Text size="xs" c="dimmed">
        Waiting {formatRelative(withdrawal.createdAt).replace(' ago', '')}
      </Text>
    );
  }
  return null;
}

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

  const whoIs = (userId: string) => {
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
          empty={{
            icon: IconCashBanknote,
            title: filter === 'open' ? 'Nothing waiting' : 'No withdrawals here',
            description:
              filter === 'open'
                ? 'New requests appear here as investors make them.'
                : 'No withdrawal has this status.',
            'data-testid': 'admin-withdrawals-empty',
          }}
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
            items.map((withdrawal) => {
              const who = whoIs(withdrawal.userId);
              const target = { withdrawal, who: who.label };
              return (
                <Table.Tr
                  key={withdrawal.id}
                  data-testid="admin-withdrawal-row"
                  data-status={withdrawal.status}
                  data-user-email={who.email ?? undefined}
                >
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <Avatar name={who.name ?? who.label} color="initials" radius="xl" size={32} />
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        {directory.isPending ? (
                          <Skeleton h={14} w={140} />
                        ) : (
                          <>
                            <Text size="sm" fw={600} truncate>
                              {who.name ?? 'Unknown user'}
                            </Text>
                            <Text size="xs" c="dimmed" truncate>
                              {who.email ?? withdrawal.userId}
                            </Text>
                          </>
                        )}
                      </Stack>
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text fw={650} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                      {formatCents(withdrawal.amountCents)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(withdrawal.createdAt)} openDelay={300}>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatShortDateTime(withdrawal.createdAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Stack gap={4} align="flex-start">
                      <WithdrawalStatusBadge status={withdrawal.status} />
                      <DetailsCell withdrawal={withdrawal} />
                      {withdrawal.payoutDestination ? (
                        <Text size="xs" c="dimmed" lineClamp={2} title={withdrawal.payoutDestination}>
                          To {withdrawal.payoutDestination}
                        </Text>
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} justify="flex-end" wrap="nowrap">
                      {withdrawal.status === 'REQUESTED' ? (
                        <Button
                          size="xs"
                          leftSection={<IconCheck size={14} />}
                          onClick={() => approve(target)}
                          aria-label={`Approve ${formatCents(withdrawal.amountCents)} for ${who.label}`}
                        >
                          Approve
                        </Button>
                      ) : null}
                      {withdrawal.status === 'APPROVED' ? (
                        <Button
                          size="xs"
                          color="teal"
                          leftSection={<IconCash size={14} />}
                          onClick={() => setPaying(target)}
                          aria-label={`Mark ${formatCents(withdrawal.amountCents)} for ${who.label} as paid`}
                        >
                          Mark paid
                        </Button>
                      ) : null}
                      {withdrawal.status === 'REQUESTED' || withdrawal.status === 'APPROVED' ? (
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          leftSection={<IconBan size={14} />}
                          onClick={() => setRejecting(target)}
                          aria-label={`Reject ${formatCents(withdrawal.amountCents)} for ${who.label}`}
                        >
                          Reject
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })
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
