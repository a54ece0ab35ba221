import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Divider,
  Grid,
  Group,
  List,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCalendarCheck,
  IconCalendarOff,
  IconCheck,
  IconHistory,
  IconRepeat,
} from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { RouterOutputs } from '@tradepool/api';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { DateTimeText } from '../../components/date-time-text';
import { type ListEmpty, type ListQuery, ListState } from '../../components/list-state';
import { ListCard } from '../../components/money/list-card';
import { DemoPaymentBadge, useDemoPayments } from '../../components/money/money-badges';
import { PageHeader } from '../../components/page-header';
import { keepBadgeWhole } from '../../components/pools/pool-badges';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { SectionCard } from '../../components/section-card';
import { useMoneyLive } from '../../hooks/use-money-live';
import { errorMessage } from '../../lib/errors';
import {
  daysLeft as countDaysLeft,
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
} from '../../lib/format';
import { idempotent, newIdempotencyKey } from '../../lib/idempotency';
import { trpc } from '../../lib/trpc';

type Status = RouterOutputs['subscription']['status'];
type Period = Status['periods'][number];

const SOURCE_LABEL: Record<Period['source'], string> = {
  PAYMENT: 'Payment',
  AUTO_RENEWAL: 'Auto-renewal from wallet',
  GRANT: 'Granted by an administrator',
};

function useSubscribe() {
  const utils = trpc.useUtils();
  const { user, updateUser } = useAuth();
  const demo = useDemoPayments();
  // One key per intended payment: a double click pays once; after a success the next click is a new payment.
  const [key, setKey] = useState(newIdempotencyKey);
  const mutation = useMutation({
    mutationFn: () => utils.client.subscription.subscribe.mutate(undefined, idempotent(`subscribe:${key}`)),
    onSuccess: (result) => {
      setKey(newIdempotencyKey());
      if ('checkoutUrl' in result) {
        window.location.assign(result.checkoutUrl);
        return;
      }
      void utils.subscription.status.invalidate();
      if (user && result.subscriptionExpiresAt) {
        updateUser({
          ...user,
          subscriptionExpiresAt: result.subscriptionExpiresAt,
          isSubscriptionActive: true,
        });
      }
      notifications.show({
        color: 'teal',
        title: 'Subscription active',
        message: `Thank you${demo ? ' (demo payment)' : ''}. You can invest until ${
          result.subscriptionExpiresAt ? formatDate(result.subscriptionExpiresAt) : 'the end of the period'
        }.`,
      });
    },
    onError: (error) => {
      notifications.show({ color: 'red', title: 'Payment not made', message: errorMessage(error) });
    },
  });
  return mutation;
}

function StatusCard({ status }: { status: Status }) {
  const subscribe = useSubscribe();
  const demo = status.paymentProvider === 'demo';
  const price = formatMoney(status.priceCents);
  const expires = status.subscriptionExpiresAt;
  const active = status.isSubscriptionActive && expires !== null;
  // Calendar days: a month bought today reads "30 days left", not 29 because some seconds have passed.
  const daysLeft = active ? countDaysLeft(expires) : 0;
  const nextEnd = dayjs(active ? expires : undefined).add(1, 'month');

  return (
    <Card data-testid="subscription-status" data-active={active}>
      <Stack gap="lg">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon size={52} radius="md" variant="light" color={active ? 'teal' : 'orange'}>
            {active ? (
              <IconCalendarCheck size={28} stroke={1.6} />
            ) : (
              <IconCalendarOff size={28} stroke={1.6} />
            )}
          </ThemeIcon>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={2} size="h3">
                {active ? 'Subscription active' : 'No active subscription'}
              </Title>
              {active ? null : (
                <Badge color="orange" variant="light">
                  {expires ? 'Ended' : 'Inactive'}
                </Badge>
              )}
            </Group>
            <Text c="dimmed" data-testid="subscription-summary">
              {active ? (
                <>
                  Active until <b>{formatDateTime(expires)}</b> (
                  {daysLeft === 0 ? 'ends today' : `${formatCount(daysLeft, 'day')} left`}).
                </>
              ) : expires ? (
                <>Your subscription ended on {formatDate(expires)}. Renew it to invest again.</>
              ) : (
                <>Subscribe to buy shares in trading pools.</>
              )}
            </Text>
          </Stack>
        </Group>

        {!active ? (
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Investing needs a subscription">
            Without one you can still fund your wallet, follow pools and withdraw, but you cannot buy shares.
          </Alert>
        ) : null}

        <Divider />

        <Grid gap="lg" align="center">
          <Grid.Col span={{ base: 12, sm: 7 }}>
            <Stack gap={6}>
              <Group gap="xs" align="baseline">
                <Text fz={32} fw={700} lh={1}>
                  {price}
                </Text>
                <Text c="dimmed">per month</Text>
                {demo ? <DemoPaymentBadge /> : null}
              </Group>
              <List
                size="sm"
                spacing={4}
                c="dimmed"
                icon={<IconCheck size={14} color="var(--mantine-color-teal-filled)" />}
              >
                <List.Item>Invest in any pool that is raising or trading</List.Item>
                <List.Item>Live trades, positions and PnL for every pool</List.Item>
                <List.Item>
                  {active
                    ? 'Renewing adds a month to your current end date'
                    : 'Starts now and runs one calendar month'}
                </List.Item>
              </List>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Stack gap={6} align="stretch">
              <Button
                size="md"
                variant={active ? 'light' : 'filled'}
                loading={subscribe.isPending}
                onClick={() => subscribe.mutate()}
                data-testid="subscribe-button"
              >
                {active ? `Renew for ${price}` : `Subscribe for ${price}`}
              </Button>
              <Text size="xs" c="dimmed" ta="center">
                {demo
                  ? `Demo payment: nothing is charged. Runs until ${formatDate(nextEnd.toISOString())}.`
                  : `Paid by card through Stripe. Runs until ${formatDate(nextEnd.toISOString())}.`}
              </Text>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Card>
  );
}

function AutoRenewCard({ status }: { status: Status }) {
  const utils = trpc.useUtils();
  const wallet = trpc.wallet.get.useQuery();
  const setAutoRenew = trpc.subscription.setAutoRenew.useMutation({
    onMutate: ({ autoRenew }) => {
      const previous = utils.subscription.status.getData();
      utils.subscription.status.setData(undefined, (current) =>
        current ? { ...current, autoRenew } : current,
      );
      return { previous };
    },
    onError: (error, _input, context) => {
      utils.subscription.status.setData(undefined, context?.previous);
      notifications.show({ color: 'red', title: 'Auto-renew not changed', message: errorMessage(error) });
    },
    onSuccess: ({ autoRenew }) => {
      notifications.show({
        color: 'teal',
        title: autoRenew ? 'Auto-renew on' : 'Auto-renew off',
        message: autoRenew
          ? `Your subscription will be renewed from your wallet for ${formatMoney(status.priceCents)} a month.`
          : 'Your subscription will end on its end date unless you renew it.',
      });
    },
    onSettled: () => utils.subscription.status.invalidate(),
  });
  const short = status.autoRenew && wallet.data !== undefined && wallet.data.balanceCents < status.priceCents;

  return (
    <SectionCard icon={IconRepeat} title="Auto-renew" description="Keep investing without thinking about it.">
      <Stack gap="md">
        <Switch
          size="md"
          checked={status.autoRenew}
          onChange={(event) => setAutoRenew.mutate({ autoRenew: event.currentTarget.checked })}
          disabled={setAutoRenew.isPending}
          label="Renew automatically from my wallet"
          description={`A day before the end date, ${formatMoney(status.priceCents)} is taken from your wallet balance and your subscription runs one more month.`}
          data-testid="auto-renew"
        />
        {short ? (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            Your wallet holds {formatMoney(wallet.data?.balanceCents ?? 0)}: less than the{' '}
            {formatMoney(status.priceCents)} a renewal needs.{' '}
            <Text component={Link} to="/wallet" inherit c="ocean" fw={600}>
              Add money
            </Text>
          </Alert>
        ) : null}
        {!status.subscriptionExpiresAt && status.autoRenew ? (
          <Text size="xs" c="dimmed">
            Auto-renew starts with your first subscription period.
          </Text>
        ) : null}
      </Stack>
    </SectionCard>
  );
}

const NO_PERIODS: ListEmpty = {
  icon: IconCalendarOff,
  title: 'No subscription periods yet',
  description: 'Each month you pay for (or are granted) will be listed here.',
  py: 40,
  'data-testid': 'periods-empty',
};

function PeriodsCard({ status, query }: { status: Status; query: ListQuery }) {
  const demo = status.paymentProvider === 'demo';
  const now = Date.now();
  return (
    <ListCard icon={IconHistory} title="History">
      <ListState
        query={query}
        items={status.periods}
        errorTitle="Could not load your subscription"
        empty={NO_PERIODS}
        table={{
          minWidth: 560,
          columns: 4,
          props: { 'data-testid': 'subscription-periods' },
          head: (
            <>
              <Table.Th>From</Table.Th>
              <Table.Th>Until</Table.Th>
              <Table.Th>How</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </>
          ),
        }}
      >
        {(periods) =>
          periods.map((period) => {
            const current = Date.parse(period.startsAt) <= now && now < Date.parse(period.endsAt);
            return (
              <Table.Tr key={period.id}>
                <Table.Td>
                  <DateTimeText at={period.startsAt} dateOnly />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <DateTimeText at={period.endsAt} dateOnly />
                    {current ? (
                      <Badge size="xs" color="teal" variant="light" className={keepBadgeWhole}>
                        current
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{SOURCE_LABEL[period.source]}</Text>
                    {period.source === 'PAYMENT' && demo ? <DemoPaymentBadge size="xs" /> : null}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {period.amountCents === 0 ? 'Free' : formatMoney(period.amountCents)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })
        }
      </ListState>
    </ListCard>
  );
}

/** The $2 monthly subscription: whether it is active, paying for it, auto-renewal, and the periods so far. */
export function SubscriptionPage() {
  useMoneyLive();
  const status = trpc.subscription.status.useQuery();

  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Subscription"
        description="A subscription lets you invest in pools. It costs $2 a month and you can renew it any time."
      />
      {status.isError ? (
        <QueryErrorAlert
          title="Could not load your subscription"
          error={status.error}
          onRetry={() => status.refetch()}
          retrying={status.isFetching}
        />
      ) : status.isPending ? (
        <Stack gap="lg" aria-busy="true" aria-label="Loading your subscription">
          <Skeleton h={260} radius="lg" />
          <Skeleton h={140} radius="lg" />
        </Stack>
      ) : (
        <Grid gap="lg" align="flex-start">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <StatusCard status={status.data} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <AutoRenewCard status={status.data} />
          </Grid.Col>
          <Grid.Col span={12}>
            <Box>
              <PeriodsCard status={status.data} query={status} />
            </Box>
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}
