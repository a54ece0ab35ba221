import {
  Badge,
  Button,
  Card,
  Group,
  ScrollArea,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { type ComponentProps, useMemo, useState } from 'react';
import { useAuth } from '../../auth/auth-provider';
import { NumericTd } from '../../components/numeric-cell';
import { keepBadgeWhole } from '../../components/pools/pool-badges';
import {
  formatCount,
  formatDateTime,
  formatMoney,
  formatPreciseDateTime,
  formatPrice,
  formatQuantity,
  formatTime,
} from '../../lib/format';
import { usePoolLiveEvents } from '../../lib/pool-live';
import type { Pool, PoolTrade } from '../../lib/pools';
import { useTradeToastSetting, useTradeToasts } from '../../lib/trade-toasts';
import { trpc } from '../../lib/trpc';
import { FeedRow, PoolFeedState } from './pool-feed-state';
import classes from './pool-page.module.css';

const FIRST_PAGE = 50;
const MORE = 200;

/** What the trades card shows when there are none, when they could not load, and while they load. */
const TRADES_STATES = {
  empty: {
    icon: IconArrowsExchange,
    title: 'No trades yet',
    description: 'Each trade the model makes shows up here the moment it reports it.',
    'data-testid': 'pool-trades-empty',
  },
  errorTitle: 'Could not load trades',
  skeletonHeight: 160,
} satisfies Partial<ComponentProps<typeof PoolFeedState>>;

/** Today's trades by time of day; older ones with their date, in the app's one date style. */
function tradeTime(iso: string): string {
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString()
    ? formatTime(at, { seconds: true })
    : formatDateTime(at);
}

function SideBadge({ side }: { side: PoolTrade['side'] }) {
  return (
    <Badge size="sm" variant="light" color={side === 'BUY' ? 'teal' : 'red'} className={keepBadgeWhole}>
      {side}
    </Badge>
  );
}

const newestFirst = (a: PoolTrade, b: PoolTrade) =>
  a.executedAt === b.executedAt ? (a.id < b.id ? 1 : -1) : a.executedAt < b.executedAt ? 1 : -1;

/** Live trades kept beside the loaded page, so a refetch answered before they arrived cannot hide them. */
const MAX_LIVE_TRADES = MORE;

/** The pool's trades, newest first; `trade:executed` puts new ones on top (and, if wanted, in a notification). */
export function PoolTrades({ pool }: { pool: Pool }) {
  const [limit, setLimit] = useState(FIRST_PAGE);
  const { user } = useAuth();
  const [toasts, setToasts] = useTradeToastSetting(user?.id ?? null);
  const notify = useTradeToasts(pool.id, pool.name);
  /** Trades that arrived live, newest first; their rows flash once. */
  const [arrived, setArrived] = useState<PoolTrade[]>([]);
  const trades = trpc.pools.trades.useQuery({ id: pool.id, limit }, { placeholderData: keepPreviousData });

  usePoolLiveEvents([pool.id], {
    onEvent: (event) => {
      if (event.type !== 'trade:executed') {
        return;
      }
      const trade: PoolTrade = event.data;
      setArrived((list) =>
        list.some((row) => row.id === trade.id) ? list : [trade, ...list].slice(0, MAX_LIVE_TRADES),
      );
      if (toasts) {
        notify(trade);
      }
    },
    onResync: () => {
      void trades.refetch();
    },
  });

  // The loaded page and the live arrivals, each trade once: whichever answered last, nothing goes missing.
  const rows = useMemo(() => {
    const byId = new Map<string, PoolTrade>();
    for (const trade of [...arrived, ...(trades.data ?? [])]) {
      byId.set(trade.id, trade);
    }
    return [...byId.values()].sort(newestFirst).slice(0, limit);
  }, [arrived, trades.data, limit]);
  const liveIds = useMemo(() => new Set(arrived.map((trade) => trade.id)), [arrived]);

  return (
    <Card component="section" aria-labelledby="pool-trades-title" p={0} h="100%" data-testid="pool-trades">
      <Group justify="space-between" p="lg" pb="sm" gap="sm" wrap="wrap">
        <Title order={2} size="h4" id="pool-trades-title">
          Trades
        </Title>
        <Switch
          size="xs"
          label="Notify me of new trades"
          checked={toasts}
          data-testid="trade-toasts-toggle"
          onChange={(event) => setToasts(event.currentTarget.checked)}
        />
      </Group>
      <PoolFeedState query={trades} isEmpty={rows.length === 0} {...TRADES_STATES}>
        {/* On a phone each trade is a two-line row instead of a six-column table that would scroll sideways. */}
        <ScrollArea.Autosize mah={460} type="auto" scrollbars="y" hiddenFrom="sm">
          <Stack gap={0} data-testid="trades-feed-mobile">
            {rows.map((trade) => (
              <FeedRow
                key={trade.id}
                gap="sm"
                flash={liveIds.has(trade.id)}
                data-testid="trade-item"
                title={
                  <>
                    <SideBadge side={trade.side} />
                    <Text size="sm" fw={600} truncate>
                      {trade.symbol}
                    </Text>
                  </>
                }
                subtitle={tradeTime(trade.executedAt)}
                figure={`${formatQuantity(trade.quantity)} @ ${formatPrice(trade.price)}`}
                figureDetail={`Fee ${trade.feeCents === null ? '—' : formatMoney(trade.feeCents)}`}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
        <ScrollArea.Autosize mah={460} type="auto" scrollbars="xy" visibleFrom="sm">
          <Table
            verticalSpacing="xs"
            horizontalSpacing="lg"
            stickyHeader
            miw={480}
            className={classes.feedTable}
            aria-live="polite"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Side</Table.Th>
                <Table.Th>Symbol</Table.Th>
                <Table.Th ta="right">Quantity</Table.Th>
                <Table.Th ta="right">Price</Table.Th>
                <Table.Th ta="right">Fee</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody data-testid="trades-feed">
              {rows.map((trade) => (
                <Table.Tr
                  key={trade.id}
                  className={liveIds.has(trade.id) ? classes.flash : undefined}
                  data-testid="trade-row"
                >
                  <Table.Td>
                    <Tooltip label={formatPreciseDateTime(trade.executedAt)} openDelay={300}>
                      <Text size="sm" className={classes.numeric}>
                        {tradeTime(trade.executedAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <SideBadge side={trade.side} />
                  </Table.Td>
                  <Table.Td fw={600}>{trade.symbol}</Table.Td>
                  <NumericTd>{formatQuantity(trade.quantity)}</NumericTd>
                  <NumericTd>{formatPrice(trade.price)}</NumericTd>
                  <NumericTd c="dimmed">
                    {trade.feeCents === null ? '—' : formatMoney(trade.feeCents)}
                  </NumericTd>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        <Group justify="space-between" px="lg" py="sm" gap="sm">
          <Text size="xs" c="dimmed">
            {rows.length === limit ? `Latest ${limit} trades` : formatCount(rows.length, 'trade')}
          </Text>
          {rows.length === limit && limit < MORE ? (
            <Button size="xs" variant="subtle" onClick={() => setLimit(MORE)} loading={trades.isFetching}>
              Show up to {MORE}
            </Button>
          ) : null}
        </Group>
      </PoolFeedState>
    </Card>
  );
}
