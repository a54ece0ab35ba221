import { Alert, Button, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { idempotent, newIdempotencyKey } from '../../lib/idempotency';
import { trpc } from '../../lib/trpc';
import { ModalActions } from '../modal-actions';
import { AmountInput, amountCents } from './amount-input';
import { useDemoPayments } from './money-badges';

/** The server refuses more in one deposit (services/money/payments.ts `MAX_DEPOSIT_CENTS`). */
const MAX_DEPOSIT_CENTS = 10_000_000;
const PRESETS = [5_000, 10_000, 50_000, 100_000] as const;

/** What we can tell before asking the server; it checks again. */
function amountProblem(cents: number | null): string | null {
  if (cents === null) {
    return 'Enter an amount in dollars, such as 100 or 25.50';
  }
  return cents > MAX_DEPOSIT_CENTS ? `At most ${formatMoney(MAX_DEPOSIT_CENTS)} per deposit` : null;
}

interface DepositModalProps {
  opened: boolean;
  onClose: () => void;
}

/**
 * Adds money to the wallet. The demo provider credits it at once (and says so); Stripe answers with a Checkout URL and
 * the wallet is credited when Stripe confirms the payment.
 */
export function DepositModal({ opened, onClose }: DepositModalProps) {
  const utils = trpc.useUtils();
  const demo = useDemoPayments();
  // One key per opening of the dialog and amount: a double submit, or a retry after a lost answer, deposits once.
  const [opening, setOpening] = useState(newIdempotencyKey);

  const deposit = useMutation({
    mutationFn: (cents: number) =>
      utils.client.wallet.deposit.mutate({ amountCents: cents }, idempotent(`deposit:${opening}:${cents}`)),
  });
  const form = useForm({
    initialValues: { amount: 100 as number | string },
    validateInputOnBlur: true,
    validate: { amount: (value) => amountProblem(amountCents(value)) },
    // A new amount is a new question: the last answer's error no longer applies.
    onValuesChange: () => deposit.reset(),
  });
  const { reset } = deposit;
  const { reset: resetForm } = form;

  useEffect(() => {
    if (opened) {
      resetForm();
      setOpening(newIdempotencyKey());
      reset();
    }
  }, [opened, reset, resetForm]);

  const cents = amountCents(form.values.amount);
  const problem = amountProblem(cents);
  const serverFieldError = deposit.isError ? fieldErrors(deposit.error).amountCents : undefined;

  const submit = form.onSubmit(() => {
    if (cents === null || deposit.isPending) {
      return;
    }
    deposit.mutate(cents, {
      onSuccess: (result) => {
        if ('checkoutUrl' in result) {
          window.location.assign(result.checkoutUrl);
          return;
        }
        utils.wallet.get.setData(undefined, (wallet) =>
          wallet ? { ...wallet, balanceCents: result.balanceCents } : wallet,
        );
        void utils.wallet.get.invalidate();
        void utils.wallet.history.invalidate();
        notifications.show({
          color: 'teal',
          title: 'Deposit received',
          message: `${formatMoney(cents)}${demo ? ' (demo payment)' : ''} is in your wallet. Balance: ${formatMoney(result.balanceCents)}.`,
        });
        onClose();
      },
    });
  });

  return (
    <Modal opened={opened} onClose={onClose} title="Deposit money" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {demo ? (
            <Alert color="yellow" icon={<IconFlask size={18} />} title="Demo payment">
              This server simulates payments: the money appears in your wallet at once and no card is charged.
            </Alert>
          ) : (
            <Text size="sm" c="dimmed">
              You will be taken to Stripe to pay by card; the money reaches your wallet as soon as Stripe
              confirms the payment.
            </Text>
          )}
          <AmountInput
            label="Amount"
            description="In US dollars"
            {...form.getInputProps('amount')}
            error={form.errors.amount || serverFieldError}
            presets={PRESETS}
            data-autofocus
            required
          />
          {deposit.isError && !serverFieldError ? (
            <Alert color="red" icon={<IconInfoCircle size={18} />} role="alert">
              {errorMessage(deposit.error)}
            </Alert>
          ) : null}
          <ModalActions onCancel={onClose}>
            <Button type="submit" loading={deposit.isPending}>
              {cents && !problem ? `Deposit ${formatMoney(cents)}` : 'Deposit'}
            </Button>
          </ModalActions>
        </Stack>
      </form>
    </Modal>
  );
}
