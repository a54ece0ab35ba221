import { Badge, Box, Card, EmptyState, Group, Skeleton, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconStack } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { keepBadgeWhole } from '../../components/pools/pool-badges';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatDateTime, formatRelative } from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import { changeColor, formatDecimal, formatUsdChange, type Pool, type PoolPosition } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import classes from './pool-page.module.css';

function direction(quantity: string): { label: string; color: string } {
  if (/^-/.test(quantity)) {
    return { label: 'Short', color: 'red' };
  }
  if (/[1-9]/.test(quantity)) {
    return { label: 'Long', color: 'teal' };
  }
  return { label: 'Flat', color: 'gray' };
}

/** The pool's open positions, one row per symbol, updated in place by `position:update`. */
export function PoolPositions({ pool }: { pool: Pool }) {
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
  const totalUnrealized = rows.reduce((sum, row) => sum + (row.unrealizedPnlCents ?? 0), 0);

  return (
    <Card component="section" aria-labelledby="pool-positions-title" p={0} data-testid="pool-positions">
      <Group justify="space-between" p="lg" pb="sm" gap="sm">
        <Title order={2} size="h4" id="pool-positions-title">
          Positions
        </Title>
        {rows.length > 0 ? (
          <Text size="sm" c="dimmed">
            Unrealized{' '}
            <Text span fw={600} c={changeColor(totalUnrealized)} inherit className={classes.numeric}>
              {formatUsdChange(totalUnrealized)}
            </Text>
          </Text>
        ) : null}
      </Group>
      {positions.isError && !positions.data ? (
        <Box px="lg" pb="lg">
          <QueryErrorAlert
            title="Could not load positions"
            error={positions.error}
            onRetry={() => positions.refetch()}
            retrying={positions.isFetching}
          />
        </Box>
      ) : positions.isPending ? (
        <Box px="lg" pb="lg">
          <Skeleton h={120} />
        </Box>
      ) : rows.length === 0 ? (
        <EmptyState
          py={32}
          px="md"
          icon={<IconStack size={26} stroke={1.5} />}
          variant="light"
          title="No open positions"
          description="Positions appear here as the model opens them."
        />
      ) : (
        <Table.ScrollContainer minWidth={640}>
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
                    <Table.Td ta="right" className={classes.numeric}>
                      {formatDecimal(position.quantity.replace(/^-/, ''))}
                    </Table.Td>
                    <Table.Td ta="right" className={classes.numeric}>
                      {formatDecimal(position.avgEntryPrice, 4)}
                    </Table.Td>
                    <Table.Td ta="right" className={classes.numeric}>
                      {formatDecimal(position.markPrice, 4)}
                    </Table.Td>
                    <Table.Td
                      ta="right"
                      className={classes.numeric}
                      c={pnl === null ? 'dimmed' : changeColor(pnl)}
                    >
                      {pnl === null ? '—' : formatUsdChange(pnl)}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Tooltip label={formatDateTime(position.asOf)} openDelay={300}>
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
      )}
    </Card>
  );
}
