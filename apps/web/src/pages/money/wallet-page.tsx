import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  EmptyState,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowUpRight, IconCash, IconLock, IconPlus, IconReceipt, IconWallet } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { DepositModal } from '../../components/money/deposit-modal';
import { DemoPaymentBadge } from '../../components/money/money-badges';
import { StatCard } from '../../components/money/stat-card';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useMoneyLive } from '../../hooks/use-money-live';
import { formatDateTime, formatShortDateTime } from '../../lib/format';
import { formatCents, formatSignedCents } from '../../lib/money';
import { trpc } from '../../lib/trpc';

type Movement = RouterOutputs['wallet']['history'][number];

const HISTORY_LIMIT = 100;

function poolIdOf(movement: Movement): string | null {
  const reference = movement.reference as Record<string, unknown> | null;
  return typeof reference?.poolId === 'string' ? reference.poolId : null;
}

function providerOf(movement: Movement): string | null {
  const reference = movement.reference as Record<string, unknown> | null;
  return typeof reference?.provider === 'string' ? reference.provider : null;
}

/** A ledger transfer as a line of a bank statement. */
function describe(movement: Movement, poolName: (id: string) => ReactNode): ReactNode {
  const poolId = poolIdOf(movement);
  const pool = poolId ? poolName(poolId) : 'a pool';
  switch (movement.kind) {
    case 'DEPOSIT':
      return (
        <Group gap={6} wrap="nowrap">
          <span>Deposit</span>
          {providerOf(movement) === 'demo' ? <DemoPaymentBadge size="xs" /> : null}
        </Group>
      );
    case 'INVEST':
      return <>Investment in {pool}</>;
    case 'INVEST_CANCEL':
      return <>Investment cancelled, refunded from {pool}</>;
    case 'REFUND':
      return <>Refund: {pool} was cancelled</>;
    case 'PAYOUT':
      return <>Payout from {pool} at settlement</>;
    case 'WITHDRAW_HOLD':
      return 'Withdrawal requested: amount held';
    case 'WITHDRAW_RELEASE':
      return 'Withdrawal cancelled or rejected: amount released';
    case 'WITHDRAW_PAYOUT':
      return 'Withdrawal paid out to your bank';
    case 'SUBSCRIPTION':
      return 'Subscription renewed from your wallet';
    default:
      return movement.kind.toLowerCase().replaceAll('_', ' ');
  }
}

function AmountCell({ movement }: { movement: Movement }) {
  const { cashDeltaCents: cash, heldDeltaCents: held } = movement;
  return (
    <Stack gap={0} align="flex-end">
      {cash !== 0 ? (
        <Text
          size="sm"
          fw={600}
          c={cash > 0 ? 'teal.7' : undefined}
          style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
        >
          {formatSignedCents(cash)}
        </Text>
      ) : null}
      {held !== 0 ? (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
          held {formatSignedCents(held)}
        </Text>
      ) : null}
    </Stack>
  );
}

function HistoryCard() {
  const history = trpc.wallet.history.useQuery({ limit: HISTORY_LIMIT });
  const pools = trpc.pools.list.useQuery({});
  const names = new Map(pools.data?.items.map((pool) => [pool.id, pool.name]));
  const poolName = (id: string) => (
    <Anchor component={Link} to={`/pools/${id}`} inherit>
      {names.get(id) ?? 'a pool'}
    </Anchor>
  );

  let body: ReactNode;
  if (history.isError) {
    body = (
      <Box p="md">
        <QueryErrorAlert
          title="Could not load your wallet history"
          error={history.error}
          onRetry={() => history.refetch()}
          retrying={history.isFetching}
        />
      </Box>
    );
  } else if (history.data && history.data.length === 0) {
    body = (
      <EmptyState
        py={48}
        px="md"
        variant="light"
        icon={<IconReceipt size={28} stroke={1.5} />}
        title="No movements yet"
        description="Deposits, investments, payouts and withdrawals will be listed here."
        data-testid="wallet-history-empty"
      />
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={300}>
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="wallet-history" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190} visibleFrom="sm">
                Date
              </Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.isPending
              ? Array.from({ length: 4 }, (_, row) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to tell them apart.
                  <Table.Tr key={row} aria-hidden>
                    <Table.Td visibleFrom="sm">
                      <Skeleton h={14} w={140} />
                    </Table.Td>
                    <Table.Td>
                      <Skeleton h={14} w={220} />
                    </Table.Td>
                    <Table.Td>
                      <Skeleton h={14} w={70} ml="auto" />
                    </Table.Td>
                  </Table.Tr>
                ))
              : history.data?.map((movement) => (
                  <Table.Tr key={movement.id} data-kind={movement.kind}>
                    <Table.Td visibleFrom="sm">
                      <Tooltip label={formatDateTime(movement.at)} openDelay={300}>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatShortDateTime(movement.at)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" component="div">
                        {describe(movement, poolName)}
                      </Text>
                      {/* Phones have no date column: the date goes under the description. */}
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        {formatShortDateTime(movement.at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <AmountCell movement={movement} />
                    </Table.Td>
                  </Table.Tr>
                ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Card p={0}>
      <Group justify="space-between" p="md" pb="sm" wrap="wrap" gap="xs">
        <Stack gap={2}>
          <Title order={2} size="h4">
            History
          </Title>
          <Text size="sm" c="dimmed">
            Every movement of your money, newest first.
          </Text>
        </Stack>
        {history.data && history.data.length === HISTORY_LIMIT ? (
          <Badge variant="light" color="gray" tt="none">
            Latest {HISTORY_LIMIT}
          </Badge>
        ) : null}
      </Group>
      {body}
    </Card>
  );
}

/** The investor's wallet: what they can spend, what is held for withdrawals, deposits and every movement. */
export function WalletPage() {
  useMoneyLive();
  const wallet = trpc.wallet.get.useQuery();
  const [depositing, setDepositing] = useState(false);

  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Wallet"
        description="Fund your wallet to buy shares in pools. Payouts land here when a pool settles."
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={() => setDepositing(true)}>
            Deposit
          </Button>
        }
      />

      <Stack gap="lg">
        {wallet.isError ? (
          <QueryErrorAlert
            title="Could not load your wallet"
            error={wallet.error}
            onRetry={() => wallet.refetch()}
            retrying={wallet.isFetching}
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <StatCard
              label="Available balance"
              icon={IconWallet}
              loading={wallet.isPending}
              value={wallet.data ? formatCents(wallet.data.balanceCents) : null}
              hint="Ready to invest or withdraw."
              data-testid="wallet-balance"
              footer={
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="default"
                    component={Link}
                    to="/withdrawals"
                    leftSection={<IconArrowUpRight size={14} />}
                  >
                    Withdraw
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    component={Link}
                    to="/pools"
                    leftSection={<IconCash size={14} />}
                  >
                    Browse pools
                  </Button>
                </Group>
              }
            />
            <StatCard
              label="Held for withdrawals"
              icon={IconLock}
              color="violet"
              loading={wallet.isPending}
              value={wallet.data ? formatCents(wallet.data.heldCents) : null}
              hint={
                <>
                  Reserved until an administrator pays or rejects your{' '}
                  <Anchor component={Link} to="/withdrawals" inherit>
                    withdrawal requests
                  </Anchor>
                  .
                </>
              }
              data-testid="wallet-held"
            />
          </SimpleGrid>
        )}
        <HistoryCard />
      </Stack>

      <DepositModal opened={depositing} onClose={() => setDepositing(false)} />
    </>
  );
}
