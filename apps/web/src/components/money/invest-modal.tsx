import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCalendarOff,
  IconChartPie,
  IconInfoCircle,
  IconWallet,
} from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { INVESTABLE_STATUSES } from '@tradepool/domain/vocabulary';
import { type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { useLastDefined } from '../../hooks/use-last-defined';
import { appCode, appErrorData, errorMessage, refusalReason } from '../../lib/errors';
import { formatMoney, formatNav, formatShares } from '../../lib/format';
import { idempotent, newIdempotencyKey } from '../../lib/idempotency';
import { sharesFor } from '../../lib/money';
import type { Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { ModalActions } from '../modal-actions';
import { AmountInput, type AmountPreset, amountCents } from './amount-input';
import { Figure } from './figure';
import classes from './invest-modal.module.css';

/** Why the server refused, in words about this pool and in dollars (its own messages count cents). */
interface Refusal {
  kind: 'subscription' | 'amount' | 'capacity' | 'funds' | 'closed' | 'collapsed' | 'other';
  message: string;
  capacityLeftCents?: number;
}

function refusalOf(error: unknown, pool: Pool): Refusal {
  const data = appErrorData(error);
  const reason = refusalReason(error);
  if (appCode(error) === 'SUBSCRIPTION_REQUIRED') {
    return { kind: 'subscription', message: 'Investing needs an active subscription.' };
  }
  if (data?.fields?.amountCents || reason === 'BELOW_MINIMUM') {
    return {
      kind: 'amount',
      message: `The minimum investment in this pool is ${formatMoney(pool.minInvestmentCents)}.`,
    };
  }
  switch (reason) {
    case 'CAPACITY_EXCEEDED': {
      const left = Number(data?.details?.capacityLeftCents ?? 0);
      return {
        kind: 'capacity',
        capacityLeftCents: left,
        message:
          left > 0
            ? `Only ${formatMoney(left)} of capacity is left in this pool.`
            : 'This pool is full: it has reached its target.',
      };
    }
    case 'INSUFFICIENT_FUNDS':
      return { kind: 'funds', message: 'Your wallet does not hold enough for this investment.' };
    case 'POOL_NOT_OPEN':
      return { kind: 'closed', message: 'This pool no longer takes investments.' };
    case 'NAV_COLLAPSED':
      return {
        kind: 'collapsed',
        message: 'This pool has lost almost all of its value, so new investments are closed.',
      };
    default:
      return { kind: 'other', message: errorMessage(error) };
  }
}

function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="sm" className={classes.fact}>
      <Figure label={label} testId={testId}>
        {value}
      </Figure>
    </Paper>
  );
}

function SubscriptionNeeded({ onNavigate }: { onNavigate: () => void }) {
  return (
    <Alert
      color="orange"
      icon={<IconCalendarOff size={18} />}
      title="Investing needs an active subscription"
      data-testid="invest-subscription-required"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          The subscription costs $2 a month. You can still fund your wallet and follow this pool without one.
        </Text>
        <Button component={Link} to="/subscription" size="xs" color="orange" onClick={onNavigate}>
          Go to subscription
        </Button>
      </Stack>
    </Alert>
  );
}

interface InvestModalProps {
  /** The pool to invest in; null closes the dialog. */
  pool: Pool | null;
  onClose: () => void;
}

/**
 * Buying shares of a pool: what the pool accepts (minimum, capacity left), what the wallet holds, the shares the
 * amount buys at the current NAV, and every refusal in plain words. Each submission carries an Idempotency-Key
 * (one per opening and amount), so a double click invests once.
 */
export function InvestModal({ pool: target, onClose }: InvestModalProps) {
  const shown = useLastDefined(target);
  const opened = target !== null;
  const utils = trpc.useUtils();
  const { user } = useAuth();
  // The pool as the server has it now (capacity and NAV move while the dialog is open), the prop until it answers.
  const fresh = trpc.pools.byId.useQuery({ id: shown?.id ?? '' }, { enabled: opened && shown !== null });
  const pool = fresh.data ?? shown;
  const wallet = trpc.wallet.get.useQuery(undefined, { enabled: opened });
  const [opening, setOpening] = useState(newIdempotencyKey);

  const invest = useMutation({
    mutationFn: (input: { poolId: string; amountCents: number }) =>
      utils.client.investments.create.mutate(input, idempotent(`invest:${opening}:${input.amountCents}`)),
  });
  const { reset } = invest;

  const capacityLeft = pool ? Math.max(0, pool.targetAmountCents - pool.raisedCents) : 0;
  const balance = wallet.data?.balanceCents;
  // What we can tell before asking; the server decides (the pool or the wallet may change meanwhile).
  const amountProblem = (cents: number | null): ReactNode => {
    if (cents === null || !pool) {
      return 'Enter an amount in dollars';
    }
    if (cents < pool.minInvestmentCents) {
      return `The minimum is ${formatMoney(pool.minInvestmentCents)}`;
    }
    if (cents > capacityLeft) {
      return `Only ${formatMoney(capacityLeft)} of capacity is left`;
    }
    if (balance !== undefined && cents > balance) {
      return (
        <>
          More than your balance of {formatMoney(balance)}.{' '}
          <Anchor component={Link} to="/wallet" inherit onClick={onClose}>
            Add money
          </Anchor>
        </>
      );
    }
    return null;
  };
  const form = useForm({
    initialValues: { amount: '' as number | string },
    validateInputOnBlur: true,
    validate: { amount: (value) => amountProblem(amountCents(value)) },
    // A new amount is a new question: the last refusal no longer applies.
    onValuesChange: () => {
      if (invest.isError) {
        invest.reset();
      }
    },
  });
  const { setInitialValues, reset: resetForm } = form;

  const minimum = shown?.minInvestmentCents;
  useEffect(() => {
    if (opened) {
      setInitialValues({ amount: minimum !== undefined ? minimum / 100 : '' });
      resetForm();
      setOpening(newIdempotencyKey());
      reset();
    }
  }, [opened, minimum, reset, setInitialValues, resetForm]);

  if (!pool) {
    return null;
  }

  const cents = amountCents(form.values.amount);
  const shares = cents !== null ? sharesFor(cents, pool.navPerShare) : null;
  const open = INVESTABLE_STATUSES.includes(pool.status);
  const subscribed = user?.isSubscriptionActive ?? false;
  const refusal = invest.isError ? refusalOf(invest.error, pool) : null;
  const needsSubscription = !subscribed || refusal?.kind === 'subscription';
  const raisedRatio = pool.targetAmountCents > 0 ? pool.raisedCents / pool.targetAmountCents : 0;

  const problem = amountProblem(cents);

  const maxCents = Math.min(capacityLeft, balance ?? capacityLeft);
  const presets: AmountPreset[] = [
    { cents: pool.minInvestmentCents, label: `Min ${formatMoney(pool.minInvestmentCents, { whole: true })}` },
  ];
  for (const preset of [10_000, 50_000, 100_000]) {
    if (preset > pool.minInvestmentCents && preset < maxCents) {
      presets.push({ cents: preset, label: formatMoney(preset, { whole: true }) });
    }
  }
  if (maxCents > pool.minInvestmentCents) {
    presets.push({ cents: maxCents, label: `Max ${formatMoney(maxCents, { whole: true })}` });
  }

  const submit = form.onSubmit(() => {
    if (cents === null || invest.isPending || !open || needsSubscription) {
      return;
    }
    invest.mutate(
      { poolId: pool.id, amountCents: cents },
      {
        onSuccess: (investment) => {
          void utils.wallet.get.invalidate();
          void utils.wallet.history.invalidate();
          void utils.investments.list.invalidate();
          void utils.pools.byId.invalidate({ id: pool.id });
          void utils.pools.list.invalidate();
          notifications.show({
            color: 'teal',
            title: 'Investment made',
            message: `You invested ${formatMoney(investment.amountCents)} in ${pool.name} and own ${formatShares(investment.shares)} more shares.`,
          });
          onClose();
        },
      },
    );
  });

  const inputError =
    form.errors.amount ||
    (refusal && (refusal.kind === 'amount' || refusal.kind === 'capacity') ? refusal.message : null);

  return (
    <Modal opened={opened} onClose={onClose} title={`Invest in ${pool.name}`} size="lg">
      <form onSubmit={submit} noValidate data-testid="invest-form">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            <Fact label="Minimum" value={formatMoney(pool.minInvestmentCents)} testId="invest-minimum" />
            <Fact label="Capacity left" value={formatMoney(capacityLeft)} testId="invest-capacity" />
            <Fact
              label="Your wallet"
              value={balance !== undefined ? formatMoney(balance) : <Skeleton h={18} w={70} mt={2} />}
              testId="invest-balance"
            />
            <Fact label="Share price" value={formatNav(pool.navPerShare)} testId="invest-nav" />
          </SimpleGrid>
          <div>
            <Group justify="space-between" mb={4}>
              <Text size="xs" c="dimmed">
                {formatMoney(pool.raisedCents)} raised of {formatMoney(pool.targetAmountCents)}
              </Text>
              <Text size="xs" c="dimmed">
                {Math.round(raisedRatio * 100)}%
              </Text>
            </Group>
            <Progress value={Math.min(100, raisedRatio * 100)} size="sm" aria-label="Raised so far" />
          </div>

          {!open ? (
            <Alert color="gray" icon={<IconInfoCircle size={18} />} title="Not taking investments">
              Pools take investments while they are raising or trading; this one is{' '}
              {pool.status.toLowerCase()}.
            </Alert>
          ) : needsSubscription ? (
            <SubscriptionNeeded onNavigate={onClose} />
          ) : null}

          <AmountInput
            label="Amount to invest"
            description="In US dollars, taken from your wallet"
            {...form.getInputProps('amount')}
            error={inputError || undefined}
            presets={presets}
            disabled={!open}
            data-autofocus
            required
          />

          <Paper withBorder radius="md" p="md" className={classes.preview} data-testid="invest-preview">
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <IconChartPie size={22} stroke={1.6} className={classes.previewIcon} aria-hidden />
              {shares && cents !== null ? (
                <Text size="sm">
                  {formatMoney(cents)} buys <b data-testid="invest-shares">{formatShares(shares)} shares</b>{' '}
                  at {formatNav(pool.navPerShare)} per share
                  {pool.status === 'PENDING'
                    ? ' (the price before trading starts)'
                    : ', the pool’s current value'}
                  .
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  Enter an amount to see how many shares it buys.
                </Text>
              )}
            </Group>
          </Paper>

          {refusal && refusal.kind !== 'subscription' && refusal.kind !== 'amount' ? (
            <Alert
              color={refusal.kind === 'other' ? 'red' : 'orange'}
              icon={refusal.kind === 'funds' ? <IconWallet size={18} /> : <IconAlertTriangle size={18} />}
              title="Investment not made"
              role="alert"
              data-testid="invest-refusal"
              data-reason={refusal.kind}
            >
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{refusal.message}</Text>
                {refusal.kind === 'funds' ? (
                  <Button component={Link} to="/wallet" size="xs" variant="light" onClick={onClose}>
                    Add money to your wallet
                  </Button>
                ) : null}
                {refusal.kind === 'capacity' &&
                (refusal.capacityLeftCents ?? 0) >= pool.minInvestmentCents ? (
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => {
                      form.setFieldValue('amount', (refusal.capacityLeftCents ?? 0) / 100);
                      invest.reset();
                    }}
                  >
                    Invest {formatMoney(refusal.capacityLeftCents ?? 0)} instead
                  </Button>
                ) : null}
              </Stack>
            </Alert>
          ) : null}

          {pool.status === 'PENDING' ? (
            <Text size="xs" c="dimmed">
              Until trading starts you can cancel this investment for a full refund.
            </Text>
          ) : null}

          <ModalActions onCancel={onClose}>
            <Button type="submit" loading={invest.isPending} disabled={!open || needsSubscription}>
              {cents !== null && !problem ? `Invest ${formatMoney(cents)}` : 'Invest'}
            </Button>
          </ModalActions>
        </Stack>
      </form>
    </Modal>
  );
}
