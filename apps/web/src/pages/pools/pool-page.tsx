import {
  Anchor,
  Button,
  Card,
  Divider,
  Grid,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconCalendarEvent, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { StatTile } from '../../components/labeled-value';
import { EmptyCard } from '../../components/list-state';
import { LiveStatusBadge } from '../../components/pools/live-status-badge';
import { PoolStatusBadge, RiskBadge } from '../../components/pools/pool-badges';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { PoolStatusTimeline } from '../../components/pools/pool-status-timeline';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { appCode } from '../../lib/errors';
import {
  formatChange,
  formatDateTime,
  formatMoney,
  formatNav,
  formatPreciseDateTime,
  formatRatio,
  formatRelative,
} from '../../lib/format';
import { isAfter, isPoolSnapshot, usePoolLiveEvents } from '../../lib/pool-live';
import {
  changeColor,
  navChange,
  type Pool,
  type PoolStatus,
  raisedPercent,
  STATUS_META,
  STRATEGY_LABELS,
} from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { PoolActions } from './pool-actions';
import { PoolChart } from './pool-chart';
import { PoolModelStatus } from './pool-model-status';
import classes from './pool-page.module.css';
import { PoolPositions } from './pool-positions';
import { PoolTrades } from './pool-trades';
import { usePoolReport } from './use-pool-report';

function Stats({ pool }: { pool: Pool }) {
  const change = navChange(pool.navPerShare);
  const raised = raisedPercent(pool);
  const ended = pool.status === 'SETTLED' || pool.status === 'CANCELLED';
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md" mb="lg">
      <StatTile label="NAV per share" testId="pool-nav">
        <Text fz="xl" fw={700} className={classes.statValue} data-testid="pool-nav-value">
          {formatNav(pool.navPerShare)}
        </Text>
        <Text
          size="xs"
          fw={600}
          c={changeColor(change)}
          className={classes.numeric}
          data-testid="pool-nav-change"
        >
          {formatChange(change)} since start
        </Text>
      </StatTile>
      <StatTile label="Equity" testId="pool-equity">
        <Text fz="xl" fw={700} className={classes.statValue} data-testid="pool-equity-value">
          {formatMoney(pool.equityCents)}
        </Text>
        <Text size="xs" c="dimmed">
          Performance fee {formatRatio(pool.performanceFeeBps / 10_000)} of profit
        </Text>
      </StatTile>
      <StatTile label="Raised">
        <Text fz="xl" fw={700} className={classes.statValue}>
          {formatMoney(pool.raisedCents, { whole: true })}
        </Text>
        <Progress
          value={raised}
          size="sm"
          radius="xl"
          my={6}
          color={raised >= 100 ? 'teal' : 'ocean'}
          aria-label={`${Math.floor(raised)}% of the target raised`}
        />
        <Text size="xs" c="dimmed">
          {Math.floor(raised)}% of {formatMoney(pool.targetAmountCents, { whole: true })}
        </Text>
      </StatTile>
      <StatTile label="Investors">
        <Text fz="xl" fw={700} className={classes.statValue}>
          {pool.investorCount}
        </Text>
        <Text size="xs" c="dimmed">
          Minimum {formatMoney(pool.minInvestmentCents, { whole: true })}
        </Text>
      </StatTile>
      <StatTile label={ended ? STATUS_META[pool.status].label : undefined} className={classes.countdownTile}>
        {ended ? (
          <Text fw={650} size="lg">
            {formatRelative(pool.updatedAt)}
          </Text>
        ) : (
          <PoolCountdown pool={pool} layout="stacked" />
        )}
      </StatTile>
    </SimpleGrid>
  );
}

function KeyDate({ label, at }: { label: string; at: string }) {
  const past = new Date(at).getTime() <= Date.now();
  return (
    // Wraps rather than clips: a long label beside a date does not fit a phone's width on one line; the date then
    // takes the next line, still right-aligned.
    <Group justify="space-between" gap="sm" style={{ rowGap: 0 }}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Tooltip label={formatPreciseDateTime(at)} openDelay={300}>
        <Text
          size="sm"
          fw={500}
          ta="right"
          ml="auto"
          c={past ? 'dimmed' : undefined}
          className={classes.numeric}
        >
          {formatDateTime(at)}
        </Text>
      </Tooltip>
    </Group>
  );
}

function DatesCard({ pool }: { pool: Pool }) {
  return (
    <Card component="section" aria-labelledby="pool-dates-title" h="100%">
      <Group gap="sm" mb="md" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md">
          <IconCalendarEvent size={20} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} size="h4" id="pool-dates-title">
          Dates and history
        </Title>
      </Group>
      <Stack gap={6}>
        {pool.status !== 'PENDING' && new Date(pool.startDate).getTime() > Date.now() ? (
          // Started ahead of plan ("Start trading now"): the status history below has the actual time.
          <KeyDate label="Trading started early; planned" at={pool.startDate} />
        ) : (
          <KeyDate
            label={pool.status === 'PENDING' ? 'Trading starts' : 'Trading started'}
            at={pool.startDate}
          />
        )}
        <KeyDate label="Trading ends" at={pool.endDate} />
        <KeyDate label="Settlement" at={pool.settleDate} />
      </Stack>
      <Divider my="md" label="Status history" labelPosition="left" />
      <PoolStatusTimeline poolId={pool.id} />
    </Card>
  );
}

function Header({ pool }: { pool: Pool }) {
  useDocumentTitle(`${pool.name} · Tradepool`);
  return (
    <Group justify="space-between" align="flex-start" gap="md" mb="lg" wrap="wrap">
      <Stack gap={6} maw={760}>
        <Text size="xs" fw={700} tt="uppercase" lts={0.8} c="ocean">
          {STRATEGY_LABELS[pool.strategy]} · {pool.pair}
        </Text>
        <Group gap="sm" align="center">
          <Title order={1} fz={{ base: 26, sm: 32 }} lh={1.2}>
            {pool.name}
          </Title>
          <PoolStatusBadge status={pool.status} size="lg" />
          <RiskBadge risk={pool.riskLevel} size="lg" />
        </Group>
        {pool.description ? (
          <Text c="dimmed" lh={1.5}>
            {pool.description}
          </Text>
        ) : null}
      </Stack>
      <Group gap="sm" align="center">
        <LiveStatusBadge label="this pool" poolId={pool.id} />
        {/* The money pages' slot: an "Invest" button for pools that take money (pages/pools/pool-actions.tsx). */}
        <PoolActions pool={pool} />
      </Group>
    </Group>
  );
}

function LoadingPool() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the pool">
      <Skeleton h={20} w={120} />
      <Skeleton h={36} w="50%" />
      <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
        {['nav', 'equity', 'raised', 'investors', 'date'].map((key) => (
          <Skeleton key={key} h={84} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton h={360} radius="lg" />
    </Stack>
  );
}

/**
 * The pool, live: status and field changes replace it (with a notification when the status moved, and the history
 * reloaded), the model's PnL updates its NAV and equity. What arrived live is kept beside the loaded pool, so a
 * refetch answered before an event cannot undo it: a snapshot wins unless the loaded pool was updated later.
 */
function useLivePool(poolId: string) {
  const utils = trpc.useUtils();
  const query = trpc.pools.byId.useQuery({ id: poolId }, { enabled: poolId !== '' });
  const [snapshot, setSnapshot] = useState<{ eventId: string; pool: Pool } | null>(null);
  const [pnl, setPnl] = useState<{ eventId: string; equityCents: number; navPerShare: string } | null>(null);

  const pool = useMemo(() => {
    let current = query.data;
    if (snapshot && (!current || snapshot.pool.updatedAt >= current.updatedAt)) {
      current = snapshot.pool;
    }
    if (current && pnl && (!snapshot || isAfter(pnl.eventId, snapshot.eventId))) {
      current = { ...current, equityCents: pnl.equityCents, navPerShare: pnl.navPerShare };
    }
    return current;
  }, [query.data, snapshot, pnl]);

  const shownStatus = useRef<PoolStatus | null>(null);
  useEffect(() => {
    shownStatus.current = pool?.status ?? null;
  }, [pool?.status]);

  usePoolLiveEvents([poolId], {
    onEvent: (event) => {
      if (event.type === 'pool:update' && isPoolSnapshot(event.data)) {
        const next = event.data.pool;
        const from = shownStatus.current ?? event.data.previousStatus;
        shownStatus.current = next.status;
        setSnapshot({ eventId: event.id, pool: next });
        // Other readers of the pool (the money pages' invest panel) share the cache.
        utils.pools.byId.setData({ id: poolId }, next);
        if (from && from !== next.status) {
          notifications.show({
            id: `pool-status-${event.id}`,
            color: STATUS_META[next.status].color,
            title: `${next.name} is now ${STATUS_META[next.status].label.toLowerCase()}`,
            message: `${STATUS_META[from].label} → ${STATUS_META[next.status].label}. ${STATUS_META[next.status].description}`,
          });
          void utils.pools.history.invalidate({ id: poolId });
        }
      } else if (event.type === 'pnl:update') {
        const { equityCents, navPerShare } = event.data;
        setPnl({ eventId: event.id, equityCents, navPerShare });
        utils.pools.byId.setData({ id: poolId }, (old) => (old ? { ...old, equityCents, navPerShare } : old));
      }
    },
    onResync: () => {
      void query.refetch();
      void utils.pools.history.invalidate({ id: poolId });
    },
  });

  return { query, pool };
}

/** One pool, live: header, figures, chart, positions, trades, the model's status and the pool's timeline. */
export function PoolPage() {
  const { poolId = '' } = useParams();
  // A fresh page per pool: live state of one pool never leaks into the next one opened.
  return <PoolView key={poolId} poolId={poolId} />;
}

function PoolView({ poolId }: { poolId: string }) {
  const { query: pool, pool: data } = useLivePool(poolId);
  // One source for the pool's realized/unrealized PnL, shared by the chart and the positions card.
  const { report } = usePoolReport({ id: poolId });

  const back = (
    <Anchor
      component={Link}
      to="/pools"
      size="sm"
      mb="md"
      display="inline-flex"
      style={{ alignItems: 'center', gap: 4 }}
    >
      <IconArrowLeft size={14} aria-hidden />
      All pools
    </Anchor>
  );

  if (pool.isError && !data) {
    if (appCode(pool.error) === 'NOT_FOUND') {
      return (
        <>
          {back}
          <EmptyCard
            icon={IconSearchOff}
            title="Pool not found"
            description="It may have been removed, or the link is wrong."
            data-testid="pool-not-found"
            action={
              <Button component={Link} to="/pools" variant="default">
                See all pools
              </Button>
            }
          />
        </>
      );
    }
    return (
      <>
        {back}
        <QueryErrorAlert
          title="Could not load this pool"
          error={pool.error}
          onRetry={() => pool.refetch()}
          retrying={pool.isFetching}
        />
      </>
    );
  }
  if (!data) {
    return (
      <>
        {back}
        <LoadingPool />
      </>
    );
  }

  return (
    <>
      {back}
      <Header pool={data} />
      <Stats pool={data} />
      <Grid gap="lg" align="stretch">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <PoolChart pool={data} report={report} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <PoolModelStatus pool={data} />
        </Grid.Col>
        <Grid.Col span={12}>
          <PoolPositions pool={data} report={report} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <PoolTrades pool={data} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <DatesCard pool={data} />
        </Grid.Col>
      </Grid>
    </>
  );
}
