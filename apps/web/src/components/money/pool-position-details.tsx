import { ActionIcon, Button, Divider, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconX } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Investment } from '../../hooks/use-all-investments';
import { errorMessage } from '../../lib/errors';
import { formatMoney, formatNav, formatShares, formatShortDateTime } from '../../lib/format';
import { parseMicros, valueOfShares } from '../../lib/money';
import type { Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { confirmAction } from '../modal-actions';
import { Figure } from './figure';
import { PnlText } from './money-badges';

function sumShares(investments: readonly Investment[]): string {
  const micros = investments.reduce((total, item) => total + (parseMicros(item.shares) ?? 0n), 0n);
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

function useCancelInvestment(pool: Pool) {
  const utils = trpc.useUtils();
  const cancel = trpc.investments.cancel.useMutation();
  return (investment: Investment) =>
    confirmAction({
      title: `Cancel your investment of ${formatMoney(investment.amountCents)}?`,
      body: (
        <>
          The full {formatMoney(investment.amountCents)} goes back to your wallet and your{' '}
          {formatShares(investment.shares)} shares of {pool.name} are given up. You can invest again while the
          pool is raising.
        </>
      ),
      confirmLabel: 'Cancel investment',
      cancelLabel: 'Keep it',
      danger: true,
      onConfirm: () =>
        cancel.mutate(
          { id: investment.id },
          {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: 'Investment cancelled',
                message: `${formatMoney(investment.amountCents)} is back in your wallet.`,
              });
              void utils.investments.list.invalidate();
              void utils.wallet.get.invalidate();
              void utils.wallet.history.invalidate();
              void utils.pools.byId.invalidate({ id: pool.id });
            },
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Not cancelled', message: errorMessage(error) }),
          },
        ),
    });
}

/** What an investor holds in one pool: the active investments valued at the NAV, and what settled ones paid out. */
export interface Holding {
  active: Investment[];
  settled: Investment[];
  invested: number;
  shares: string;
  value: number;
  pnl: number;
  settledInvested: number;
  payout: number;
  fees: number;
}

export function holdingOf(investments: Investment[], nav: string): Holding {
  const active = investments.filter((item) => item.status === 'ACTIVE');
  const settled = investments.filter((item) => item.status === 'SETTLED');
  const invested = active.reduce((total, item) => total + item.amountCents, 0);
  const shares = sumShares(active);
  const value = valueOfShares(shares, nav) ?? invested;
  return {
    active,
    settled,
    invested,
    shares,
    value,
    pnl: value - invested,
    settledInvested: settled.reduce((total, item) => total + item.amountCents, 0),
    payout: settled.reduce((total, item) => total + (item.payoutCents ?? 0), 0),
    fees: settled.reduce((total, item) => total + (item.feeCents ?? 0), 0),
  };
}

/** The details behind the header's position button: figures, each purchase, cancel while the pool is raising. */
export function PositionDetails({
  pool,
  holding,
  onClose,
}: {
  pool: Pool;
  holding: Holding;
  onClose: () => void;
}) {
  const cancel = useCancelInvestment(pool);
  const cancellable = pool.status === 'PENDING';
  const { active, settled } = holding;

  return (
    <Stack gap="md" data-testid="pool-position">
      <Text fw={650}>Your position in this pool</Text>
      {active.length > 0 ? (
        <SimpleGrid cols={2} spacing="md">
          <Figure label="Invested" testId="position-invested">
            {formatMoney(holding.invested)}
          </Figure>
          <Figure label="Shares" testId="position-shares">
            {formatShares(holding.shares)}
          </Figure>
          <Figure label="Value now" testId="position-value">
            {formatMoney(holding.value)}
          </Figure>
          <Figure label="Profit / loss" testId="position-pnl">
            <PnlText
              cents={holding.pnl}
              ratio={holding.invested > 0 ? holding.pnl / holding.invested : null}
              size="sm"
            />
          </Figure>
        </SimpleGrid>
      ) : null}
      {active.length > 0 ? (
        <Text size="xs" c="dimmed">
          Valued at {formatNav(pool.navPerShare)} per share, live.
        </Text>
      ) : null}
      {settled.length > 0 ? (
        <>
          {active.length > 0 ? <Divider /> : null}
          <SimpleGrid cols={2} spacing="md">
            <Figure label="Invested">{formatMoney(holding.settledInvested)}</Figure>
            <Figure label="Paid out" testId="position-payout">
              {formatMoney(holding.payout)}
            </Figure>
            <Figure label="Performance fee">{formatMoney(holding.fees)}</Figure>
            <Figure label="Result">
              <PnlText
                cents={holding.payout - holding.settledInvested}
                ratio={
                  holding.settledInvested > 0
                    ? (holding.payout - holding.settledInvested) / holding.settledInvested
                    : null
                }
                size="sm"
              />
            </Figure>
          </SimpleGrid>
        </>
      ) : null}
      {active.length > 0 && (active.length > 1 || cancellable) ? (
        <Table verticalSpacing={4} horizontalSpacing={6} data-testid="position-investments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bought</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Shares</Table.Th>
              {cancellable ? <Table.Th w={32} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {active.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>
                  <Text size="xs">{formatShortDateTime(item.createdAt)}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="xs">{formatMoney(item.amountCents)}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="xs">{formatShares(item.shares)}</Text>
                </Table.Td>
                {cancellable ? (
                  <Table.Td>
                    <Tooltip label="Cancel for a full refund">
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          onClose();
                          cancel(item);
                        }}
                        aria-label={`Cancel investment of ${formatMoney(item.amountCents)}`}
                      >
                        <IconX size={14} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {cancellable && active.length > 0 ? (
        <Text size="xs" c="dimmed">
          Until trading starts you can cancel for a full refund.
        </Text>
      ) : null}
      <Button component={Link} to="/portfolio" variant="subtle" size="xs" onClick={onClose}>
        Open your portfolio
      </Button>
    </Stack>
  );
}
