import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Popover,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconCoin, IconX } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useMoneyLive } from '../../hooks/use-money-live';
import { errorMessage } from '../../lib/errors';
import { formatMoney, formatNav, formatShares, formatShortDateTime } from '../../lib/format';
import { parseMicros, valueOfShares } from '../../lib/money';
import { trpc } from '../../lib/trpc';
import { confirmAction } from '../modal-actions';
import { Figure } from './figure';
import { InvestModal } from './invest-modal';
import { PnlText } from './money-badges';
import classes from './pool-invest-panel.module.css';

type Pool = RouterOutputs['pools']['byId'];
type Investment = RouterOutputs['investments']['list']['items'][number];

const INVESTABLE: ReadonlySet<Pool['status']> = new Set(['PENDING', 'ACTIVE']);

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

interface Holding {
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

function holdingOf(investments: Investment[], nav: string): Holding {
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
function PositionDetails({ pool, holding, onClose }: { pool: Pool; holding: Holding; onClose: () => void }) {
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

/**
 * What an investor can do on a pool page, in its header: the position they hold (a button opening the details) and
 * the Invest button with its dialog. `pool` is the live pool from the page, so NAV and status changes reach it.
 */
export function PoolInvestActions({ pool }: { pool: Pool }) {
  useMoneyLive();
  const [investing, setInvesting] = useState<Pool | null>(null);
  const [details, setDetails] = useState(false);
  const investments = useAllInvestments();

  const mine = investments.data?.items.filter((item) => item.poolId === pool.id) ?? [];
  const holding = holdingOf(mine, pool.navPerShare);
  const holds = holding.active.length > 0 || holding.settled.length > 0;
  const open = INVESTABLE.has(pool.status);
  const capacityLeft = Math.max(0, pool.targetAmountCents - pool.raisedCents);
  const full = open && capacityLeft < pool.minInvestmentCents;

  let closedReason: string | null = null;
  if (!open) {
    closedReason = 'Pools take investments only while they are raising money or trading.';
  } else if (full) {
    closedReason = 'This pool is full: less than the minimum investment is left.';
  }

  const investButton = (
    <Button
      leftSection={<IconCoin size={18} />}
      onClick={() => setInvesting(pool)}
      disabled={closedReason !== null}
      data-testid="invest-button"
    >
      {holding.active.length > 0 ? 'Invest more' : 'Invest'}
    </Button>
  );

  return (
    // Wraps on a phone: the position button and "Invest more" side by side are wider than 390 px with the live badge.
    <Group gap="sm" wrap="wrap" data-testid="pool-actions">
      {holds ? (
        <Popover
          opened={details}
          onChange={setDetails}
          position="bottom-end"
          width={360}
          styles={{ dropdown: { maxWidth: 'calc(100vw - 24px)' } }}
          shadow="md"
          withArrow
          trapFocus
        >
          <Popover.Target>
            <UnstyledButton
              className={classes.positionButton}
              onClick={() => setDetails((value) => !value)}
              aria-expanded={details}
              aria-haspopup="dialog"
              data-testid="pool-position-button"
            >
              <Stack gap={0}>
                <Text size="xs" c="dimmed" fw={600} lh={1.2}>
                  Your position
                </Text>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={700} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {holding.active.length > 0 ? formatMoney(holding.value) : formatMoney(holding.payout)}
                  </Text>
                  {holding.active.length > 0 ? (
                    <PnlText cents={holding.pnl} size="xs" />
                  ) : (
                    <Text size="xs" c="dimmed">
                      paid out
                    </Text>
                  )}
                </Group>
              </Stack>
              <IconChevronDown
                size={14}
                className={classes.chevron}
                data-open={details || undefined}
                aria-hidden
              />
            </UnstyledButton>
          </Popover.Target>
          <Popover.Dropdown>
            <PositionDetails pool={pool} holding={holding} onClose={() => setDetails(false)} />
          </Popover.Dropdown>
        </Popover>
      ) : null}
      {closedReason ? (
        <Tooltip label={closedReason} multiline w={240}>
          <span>{investButton}</span>
        </Tooltip>
      ) : (
        investButton
      )}
      <InvestModal pool={investing} onClose={() => setInvesting(null)} />
    </Group>
  );
}
