import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { idempotent, newIdempotencyKey } from '../../lib/idempotency';
import { dollarsToCents } from '../../lib/money';
import { trpc } from '../../lib/trpc';
import { AmountInput } from './amount-input';
import { useDemoPayments } from './money-badges';

/** The server refuses more in one deposit (services/money/payments.ts `MAX_DEPOSIT_CENTS`). */
const MAX_DEPOSIT_CENTS = 10_000_000;
const PRESETS = [5_000, 10_000, 50_000, 100_000] as const;

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
  const [amount, setAmount] = useState<number | string>(100);
  const [touched, setTouched] = useState(false);
  // One key per opening of the dialog and amount: a double submit, or a retry after a lost answer, deposits once.
  const [opening, setOpening] = useState(newIdempotencyKey);

  const deposit = useMutation({
    mutationFn: (amountCents: number) =>
      utils.client.wallet.deposit.mutate({ amountCents }, idempotent(`deposit:${opening}:${amountCents}`)),
  });
  const { reset } = deposit;

  useEffect(() => {
    if (opened) {
      setAmount(100);
      setTouched(false);
      setOpening(newIdempotencyKey());
      reset();
    }
  }, [opened, reset]);

  const cents = amount === '' ? null : dollarsToCents(amount);
  let problem: string | null = null;
  if (cents === null) {
    problem = 'Enter an amount in dollars, such as 100 or 25.50';
  } else if (cents > MAX_DEPOSIT_CENTS) {
    problem = `At most ${formatMoney(MAX_DEPOSIT_CENTS)} per deposit`;
  }
  const serverFieldError = deposit.isError ? fieldErrors(deposit.error).amountCents : undefined;

  const submit = () => {
    setTouched(true);
    if (problem || cents === null || deposit.isPending) {
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
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Deposit money" size="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="md">
          {demo ? (
            <Alert color="yellow" variant="light" icon={<IconFlask size={18} />} title="Demo payment">
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
            value={amount}
            onChange={(value) => {
              setAmount(value);
              deposit.reset();
            }}
            onBlur={() => setTouched(true)}
            error={(touched && problem) || serverFieldError}
            presets={PRESETS}
            data-autofocus
            required
          />
          {deposit.isError && !serverFieldError ? (
            <Alert color="red" variant="light" icon={<IconInfoCircle size={18} />} role="alert">
              {errorMessage(deposit.error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={deposit.isPending}>
              {cents && !problem ? `Deposit ${formatMoney(cents)}` : 'Deposit'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
