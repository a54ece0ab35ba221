import { Badge, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconStack } from '@tabler/icons-react';
import { type ComponentProps, useMemo, useState } from 'react';
import { NumericTd } from '../../components/numeric-cell';
import { keepBadgeWhole } from '../../components/pools/pool-badges';
import {
  formatPreciseDateTime,
  formatPrice,
  formatQuantity,
  formatRelative,
  formatSignedMoney,
} from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import { changeColor, isTradingNow, type PnlPoint, type Pool, type PoolPosition } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { FeedRow, PoolFeedState } from './pool-feed-state';
import classes from './pool-page.module.css';

/** What the positions card shows when there are none, when they could not load, and while they load. */
const POSITIONS_STATES = {
  empty: {
    icon: IconStack,
    title: 'No open positions',
    description: 'Positions appear here as the model opens them.',
  },
  errorTitle: 'Could not load positions',
  skeletonHeight: 120,
} satisfies Partial<ComponentProps<typeof PoolFeedState>>;

function direction(quantity: string): { label: string; color: string } {
  if (/^-/.test(quantity)) {
    return { label: 'Short', color: 'red' };
  }
  if (/[1-9]/.test(quantity)) {
    return { label: 'Long', color: 'teal' };
  }
  return { label: 'Flat', color: 'gray' };
}

/**
 * The pool's open positions, one row per symbol, updated in place by `position:update`. The unrealized PnL in the
 * header is the model's latest PnL report (`report`, the same figure as under the chart), not a sum of rows that
 * were each reported at their own moment. Once the pool stops trading, these are the positions last reported.
 */
export function PoolPositions({ pool, report }: { pool: Pool; report: PnlPoint | null }) {
  const trading = isTradingNow(pool.status);
  const positions = trpc.pools.positions.useQuery({ id: pool.id });
  /** Positions reported live, by symbol, with the event id: the row re-mounts and flashes once per change. */
  const [live, setLive] = useState<Record<string, { eventId: string; position: PoolPosition }>>({});

  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      if (event.type === 'position:update') {
        setLive((map) => ({ ...map, [event.data.symbol]: { eventId: event.id, position: event.data } }));
      }
    },
    onResync: () => {
      void positions.refetch();
    },
  });

  // Per symbol, the newer of the loaded and the live report (the server drops reports older than what it holds).
  const rows = useMemo(() => {
    const bySymbol = new Map((positions.data ?? []).map((position) => [position.symbol, position]));
    for (const { position } of Object.values(live)) {
      const loaded = bySymbol.get(position.symbol);
      if (!loaded || position.asOf >= loaded.asOf) {
        bySymbol.set(position.symbol, position);
      }
    }
    return [...bySymbol.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
  }, [positions.data, live]);

  return (
    <Card component="section" aria-labelledby="pool-positions-title" p={0} data-testid="pool-positions">
      <Group justify="space-between" p="lg" pb="sm" gap="sm">
        <Stack gap={0}>
          <Title order={2} size="h4" id="pool-positions-title">
            {trading || pool.status === 'PENDING' ? 'Positions' : 'Last reported positions'}
          </Title>
          {!trading && rows.length > 0 ? (
            <Text size="xs" c="dimmed" data-testid="positions-not-live">
              {pool.status === 'PAUSED'
                ? 'Trading is paused: as the model last reported them.'
                : 'Trading has ended: as the model last reported them.'}
            </Text>
          ) : null}
        </Stack>
        {rows.length > 0 && report ? (
          <Tooltip label={`From the model’s latest PnL report, ${formatPreciseDateTime(report.at)}`}>
            <Text size="sm" c="dimmed">
              Unrealized{' '}
              <Text
                span
                fw={600}
                c={changeColor(report.unrealizedPnlCents)}
                inherit
                className={classes.numeric}
                data-testid="positions-unrealized-pnl"
              >
                {formatSignedMoney(report.unrealizedPnlCents)}
              </Text>
            </Text>
          </Tooltip>
        ) : null}
      </Group>
      <PoolFeedState query={positions} isEmpty={rows.length === 0} {...POSITIONS_STATES}>
        {/* On a phone each position is a card-like row; the seven-column table is for wider screens. */}
        <Stack gap={0} hiddenFrom="sm" pb="xs" data-testid="positions-mobile">
          {rows.map((position) => {
            const side = direction(position.quantity);
            const pnl = position.unrealizedPnlCents;
            return (
              <FeedRow
                key={position.symbol}
                title={
                  <>
                    <Text size="sm" fw={600}>
                      {position.symbol}
                    </Text>
                    <Badge size="sm" variant="light" color={side.color} className={keepBadgeWhole}>
                      {side.label}
                    </Badge>
                  </>
                }
                subtitle={
                  <>
                    {formatQuantity(position.quantity.replace(/^-/, ''))} · entry{' '}
                    {formatPrice(position.avgEntryPrice)}
                  </>
                }
                figure={pnl === null ? '—' : formatSignedMoney(pnl)}
                figureStyle={{ fw: 600, c: pnl === null ? 'dimmed' : changeColor(pnl) }}
                figureDetail={<>mark {formatPrice(position.markPrice)}</>}
              />
            );
          })}
        </Stack>
        <Table.ScrollContainer minWidth={640} visibleFrom="sm">
          <Table verticalSpacing="xs" horizontalSpacing="lg" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Symbol</Table.Th>
                <Table.Th>Side</Table.Th>
                <Table.Th ta="right">Quantity</Table.Th>
                <Table.Th ta="right">Avg entry</Table.Th>
                <Table.Th ta="right">Mark</Table.Th>
                <Table.Th ta="right">Unrealized PnL</Table.Th>
                <Table.Th ta="right">Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((position) => {
                const side = direction(position.quantity);
                const pnl = position.unrealizedPnlCents;
                const flashId = live[position.symbol]?.eventId;
                return (
                  <Table.Tr
                    key={`${position.symbol}-${flashId ?? 'loaded'}`}
                    className={flashId ? classes.flash : undefined}
                    data-symbol={position.symbol}
                  >
                    <Table.Td fw={600}>{position.symbol}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={side.color} className={keepBadgeWhole}>
                        {side.label}
                      </Badge>
                    </Table.Td>
                    <NumericTd>{formatQuantity(position.quantity.replace(/^-/, ''))}</NumericTd>
                    <NumericTd>{formatPrice(position.avgEntryPrice)}</NumericTd>
                    <NumericTd>{formatPrice(position.markPrice)}</NumericTd>
                    <NumericTd c={pnl === null ? 'dimmed' : changeColor(pnl)}>
                      {pnl === null ? '—' : formatSignedMoney(pnl)}
                    </NumericTd>
                    <Table.Td ta="right">
                      <Tooltip label={formatPreciseDateTime(position.asOf)} openDelay={300}>
                        <Text size="sm" c="dimmed" className={classes.numeric}>
                          {formatRelative(position.asOf)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </PoolFeedState>
    </Card>
  );
}
