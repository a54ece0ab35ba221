import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Timeline,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowUpRight, IconCashBanknote, IconInfoCircle, IconLock, IconX } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { Link } from 'react-router';
import { DateTimeText } from '../../components/date-time-text';
import { ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { AmountInput, amountCents } from '../../components/money/amount-input';
import { ListCard } from '../../components/money/list-card';
import { WITHDRAWAL_STATUS_META, WithdrawalStatusBadge } from '../../components/money/money-badges';
import { PageHeader } from '../../components/page-header';
import { SectionCard } from '../../components/section-card';
import { useMoneyLive } from '../../hooks/use-money-live';
import { errorMessage, fieldErrors, refusalReason } from '../../lib/errors';
import { formatMoney, formatShortDateTime } from '../../lib/format';
import { idempotent, keyPart, newIdempotencyKey } from '../../lib/idempotency';
import { trpc } from '../../lib/trpc';
import classes from './withdrawals-page.module.css';

type Withdrawal = RouterOutputs['withdrawals']['list']['items'][number];

function RequestCard() {
  const utils = trpc.useUtils();
  const wallet = trpc.wallet.get.useQuery();
  const [key, setKey] = useState(newIdempotencyKey);
  const request = useMutation({
    mutationFn: ({ amountCents, payoutDestination }: { amountCents: number; payoutDestination: string }) =>
      utils.client.withdrawals.create.mutate(
        { amountCents, payoutDestination },
        idempotent(`withdraw:${key}:${amountCents}:${keyPart(payoutDestination)}`),
      ),
  });
  const balance = wallet.data?.balanceCents;
  const amountProblem = (cents: number | null) => {
    if (cents === null) {
      return 'Enter an amount in dollars';
    }
    return balance !== undefined && cents > balance
      ? `At most your available balance, ${formatMoney(balance)}`
      : null;
  };
  const form = useForm({
    initialValues: { amount: '' as number | string, payoutDestination: '' },
    validate: {
      amount: (value) => amountProblem(amountCents(value)),
      // The server checks it fully (an IBAN's check digits too); this only catches an empty or too short field early.
      payoutDestination: (value) =>
        value.trim().length < 6 ? 'Enter your IBAN and account holder, or your bank details' : null,
    },
    // A changed request is a new question: the last answer's error no longer applies.
    onValuesChange: () => {
      if (request.isError) {
        request.reset();
      }
    },
  });
  /** Checked on leaving a field once something is typed in it; an untouched empty field waits for the submit. */
  const checkOnBlur = (field: 'amount' | 'payoutDestination') => () => {
    if (form.values[field] !== '') {
      form.validateField(field);
    }
  };
  const cents = amountCents(form.values.amount);
  const problem = amountProblem(cents);
  const refused = request.isError
    ? refusalReason(request.error) === 'INSUFFICIENT_FUNDS'
      ? 'Your available balance is lower than this amount.'
      : (fieldErrors(request.error).amountCents ?? null)
    : null;

  const submit = form.onSubmit((values) => {
    if (cents === null || request.isPending) {
      return;
    }
    request.mutate(
      { amountCents: cents, payoutDestination: values.payoutDestination.trim() },
      {
        onSuccess: (withdrawal) => {
          setKey(newIdempotencyKey());
          form.setFieldValue('amount', '');
          form.resetTouched();
          form.clearErrors();
          void utils.withdrawals.list.invalidate();
          void utils.wallet.get.invalidate();
          void utils.wallet.history.invalidate();
          notifications.show({
            color: 'teal',
            title: 'Withdrawal requested',
            message: `${formatMoney(withdrawal.amountCents)} is held until an administrator reviews your request.`,
          });
        },
      },
    );
  });

  return (
    <SectionCard
      icon={IconArrowUpRight}
      title="Request a withdrawal"
      description="Move money from your wallet to your bank."
      data-testid="withdrawal-request"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              Available balance
            </Text>
            {balance !== undefined ? (
              <Text fw={650} data-testid="withdraw-available">
                {formatMoney(balance)}
              </Text>
            ) : (
              <Skeleton h={18} w={80} />
            )}
          </Group>
          <AmountInput
            label="Amount"
            description="In US dollars"
            {...form.getInputProps('amount')}
            onBlur={checkOnBlur('amount')}
            error={form.errors.amount || refused || undefined}
            presets={balance && balance > 0 ? [{ cents: balance, label: 'Everything' }] : undefined}
            disabled={balance === 0}
            required
          />
          <TextInput
            label="Pay to"
            description="Your IBAN and the account holder (DE89 3704 0044 0532 0130 00, Jane Doe), or other bank details"
            placeholder="IBAN, account holder"
            {...form.getInputProps('payoutDestination')}
            onBlur={checkOnBlur('payoutDestination')}
            error={form.errors.payoutDestination || fieldErrors(request.error).payoutDestination || undefined}
            maxLength={200}
            disabled={balance === 0}
            required
            data-testid="withdraw-destination"
          />
          {request.isError && !refused && !fieldErrors(request.error).payoutDestination ? (
            <Alert color="red" role="alert">
              {errorMessage(request.error)}
            </Alert>
          ) : null}
          {balance === 0 ? (
            <Text size="sm" c="dimmed">
              Your wallet is empty.{' '}
              <Anchor component={Link} to="/wallet" inherit>
                Deposit money
              </Anchor>{' '}
              or wait for a pool to pay out.
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button type="submit" loading={request.isPending} disabled={balance === 0}>
              {cents !== null && !problem ? `Request ${formatMoney(cents)}` : 'Request withdrawal'}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}

const STEPS: ReadonlyArray<{ title: string; body: string }> = [
  {
    title: 'You ask',
    body: 'The amount moves from your available balance to held at once, so it cannot be invested meanwhile.',
  },
  {
    title: 'An administrator approves',
    body: 'Until then you can cancel and the money is back in your wallet straight away.',
  },
  {
    title: 'Paid to your bank',
    body: 'Once the transfer is made it is marked paid, with its reference. A rejection returns the money.',
  },
];

function HowItWorksCard() {
  return (
    <SectionCard
      icon={IconLock}
      title="How it works"
      description="Every request is reviewed by a person."
      color="gray"
    >
      <Timeline active={-1} bulletSize={26} lineWidth={2} color="ocean">
        {STEPS.map((step, index) => (
          <Timeline.Item
            key={step.title}
            bullet={
              <Text size="xs" fw={700}>
                {index + 1}
              </Text>
            }
            title={
              <Text size="sm" fw={600}>
                {step.title}
              </Text>
            }
          >
            <Text size="sm" c="dimmed" lh={1.5}>
              {step.body}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      <Text size="xs" c="dimmed" mt="md">
        <IconInfoCircle size={12} style={{ verticalAlign: -1 }} /> You receive an email when a request is
        approved, rejected or paid.
      </Text>
    </SectionCard>
  );
}

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

function HistoryCard() {
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
        empty={{
          icon: IconCashBanknote,
          title: 'No withdrawals yet',
          description: 'Requests you make appear here with their status.',
          py: 40,
          'data-testid': 'withdrawals-empty',
        }}
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

/** Taking money out: request (the amount is held), follow the review, cancel while it waits. */
export function WithdrawalsPage() {
  useMoneyLive();
  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Withdrawals"
        description="Ask for money from your wallet to be paid out to your bank. An administrator reviews every request."
      />
      <Stack gap="lg">
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, md: 6 }} className={classes.fill}>
            <RequestCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }} className={classes.fill}>
            <HowItWorksCard />
          </Grid.Col>
        </Grid>
        <HistoryCard />
      </Stack>
    </>
  );
}
