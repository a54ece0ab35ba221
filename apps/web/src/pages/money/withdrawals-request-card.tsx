import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowUpRight } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { AmountInput, amountCents } from '../../components/money/amount-input';
import { SectionCard } from '../../components/section-card';
import { errorMessage, fieldErrors, refusalReason } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { idempotent, keyPart, newIdempotencyKey } from '../../lib/idempotency';
import { trpc } from '../../lib/trpc';

/** The request form: amount (at most the available balance) and where to pay it; the amount is held once sent. */
export function RequestCard() {
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
