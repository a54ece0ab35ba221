import { Avatar, Button, Group, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconBan, IconCash, IconCheck } from '@tabler/icons-react';
import { WithdrawalStatusBadge } from '../../components/money/money-badges';
import { formatDateTime, formatRelative, formatShortDateTime } from '../../lib/format';
import { formatCents } from '../../lib/money';
import type { Target } from './withdrawals-decisions';
import type { Withdrawal } from './withdrawals-queue';

/** Who asked, as far as the user directory knows; `label` is what the dialogs call them. */
export interface Who {
  name: string | null;
  email: string | null;
  label: string;
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

/** One request in the queue: who asked, how much and when, its status, and the decisions it still allows. */
export function WithdrawalRow({
  withdrawal,
  who,
  loadingWho,
  onApprove,
  onPay,
  onReject,
}: {
  withdrawal: Withdrawal;
  who: Who;
  loadingWho: boolean;
  onApprove: (target: Target) => void;
  onPay: (target: Target) => void;
  onReject: (target: Target) => void;
}) {
  const target = { withdrawal, who: who.label };
  return (
    <Table.Tr
      data-testid="admin-withdrawal-row"
      data-status={withdrawal.status}
      data-user-email={who.email ?? undefined}
    >
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Avatar name={who.name ?? who.label} color="initials" radius="xl" size={32} />
          <Stack gap={0} style={{ minWidth: 0 }}>
            {loadingWho ? (
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
              onClick={() => onApprove(target)}
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
              onClick={() => onPay(target)}
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
              onClick={() => onReject(target)}
              aria-label={`Reject ${formatCents(withdrawal.amountCents)} for ${who.label}`}
            >
              Reject
            </Button>
          ) : null}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
