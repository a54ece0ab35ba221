import { Anchor, Badge, Box, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { PnlText } from '../../components/money/money-badges';
import { PoolStatusBadge } from '../../components/pools/pool-badges';
import type { Investment } from '../../hooks/use-all-investments';
import {
  formatCents,
  formatNav,
  formatPercent,
  formatShares,
  parseMicros,
  valueOfShares,
} from '../../lib/money';
import type { Pool } from '../../lib/pools';
import classes from './portfolio-page.module.css';

export interface Position {
  poolId: string;
  pool: Pool | undefined;
  /** Still holding shares (not yet settled). */
  open: boolean;
  investedCents: number;
  shares: string;
  /** Open: shares × the live NAV; settled: what was paid out. */
  valueCents: number;
  pnlCents: number;
  payoutCents: number;
  feeCents: number;
}

function addShares(a: string, b: string): string {
  const micros = (parseMicros(a) ?? 0n) + (parseMicros(b) ?? 0n);
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

/** One row per pool and state: the open holding, and separately what a settlement paid out. */
export function positionsOf(
  investments: readonly Investment[],
  pools: ReadonlyMap<string, Pool>,
): Position[] {
  const byKey = new Map<string, Position>();
  for (const item of investments) {
    if (item.status !== 'ACTIVE' && item.status !== 'SETTLED') {
      continue;
    }
    const open = item.status === 'ACTIVE';
    const key = `${item.poolId}:${open ? 'open' : 'settled'}`;
    const position = byKey.get(key) ?? {
      poolId: item.poolId,
      pool: pools.get(item.poolId),
      open,
      investedCents: 0,
      shares: '0.000000',
      valueCents: 0,
      pnlCents: 0,
      payoutCents: 0,
      feeCents: 0,
    };
    position.investedCents += item.amountCents;
    position.shares = addShares(position.shares, item.shares);
    position.payoutCents += item.payoutCents ?? 0;
    position.feeCents += item.feeCents ?? 0;
    byKey.set(key, position);
  }
  const positions = [...byKey.values()];
  for (const position of positions) {
    position.valueCents = position.open
      ? position.pool
        ? (valueOfShares(position.shares, position.pool.navPerShare) ?? position.investedCents)
        : position.investedCents
      : position.payoutCents;
    position.pnlCents = position.valueCents - position.investedCents;
  }
  // Open holdings first, biggest first.
  return positions.sort((a, b) => Number(b.open) - Number(a.open) || b.valueCents - a.valueCents);
}

function ratio(pnl: number, invested: number): number | null {
  return invested > 0 ? pnl / invested : null;
}

function PositionsTable({ positions }: { positions: Position[] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table
        verticalSpacing="sm"
        horizontalSpacing="md"
        highlightOnHover
        data-testid="positions-table"
        className={classes.table}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Pool</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Invested</Table.Th>
            <Table.Th ta="right">Shares</Table.Th>
            <Table.Th ta="right">Share price</Table.Th>
            <Table.Th ta="right">Value</Table.Th>
            <Table.Th ta="right">Profit / loss</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {positions.map((position) => (
            <Table.Tr
              key={`${position.poolId}:${position.open}`}
              data-pool-id={position.poolId}
              data-testid="position-row"
            >
              <Table.Td>
                <Anchor component={Link} to={`/pools/${position.poolId}`} fw={600} size="sm">
                  {position.pool?.name ?? 'Pool'}
                </Anchor>
                {position.pool ? (
                  <Text size="xs" c="dimmed">
                    {position.pool.pair}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                {position.open ? (
                  position.pool ? (
                    <PoolStatusBadge status={position.pool.status} miw="max-content" />
                  ) : null
                ) : (
                  <Badge color="teal" variant="light" miw="max-content">
                    Settled
                  </Badge>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatCents(position.investedCents)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatShares(position.shares)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {position.open && position.pool ? formatNav(position.pool.navPerShare) : '—'}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text
                  size="sm"
                  fw={600}
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                  data-testid="position-value"
                >
                  {formatCents(position.valueCents)}
                </Text>
                {!position.open ? (
                  <Text size="xs" c="dimmed">
                    paid out, fee {formatCents(position.feeCents)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right">
                <Box data-testid="position-pnl">
                  <PnlText cents={position.pnlCents} size="sm" />
                  <Text size="xs" c="dimmed">
                    {formatPercent(ratio(position.pnlCents, position.investedCents) ?? 0)}
                  </Text>
                </Box>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Every position, open and settled, one row each: what went in, the shares, what they are worth, the profit. */
export function PositionsCard({ positions, loading }: { positions: Position[]; loading: boolean }) {
  return (
    <Card p={0}>
      <Group p="md" pb="xs">
        <Title order={2} size="h4">
          Positions
        </Title>
      </Group>
      {loading ? (
        <Stack p="md" gap="sm">
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      ) : (
        <PositionsTable positions={positions} />
      )}
    </Card>
  );
}
