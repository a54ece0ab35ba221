import { Badge, Button, Stack, Tooltip } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyCard } from '../../components/list-state';
import { PoolStatements } from '../../components/money/pool-statements';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useMoneyLive, usePoolsLive } from '../../hooks/use-money-live';
import type { Pool } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { PortfolioCharts } from './portfolio-charts';
import { PositionsCard, positionsOf } from './portfolio-positions';
import { PortfolioStatCards } from './portfolio-stat-cards';

/** Pools whose value still moves: their rooms are joined for `pnl:update`. */
const LIVE_STATUSES: ReadonlySet<Pool['status']> = new Set([
  'PENDING',
  'ACTIVE',
  'PAUSED',
  'CLOSED',
  'SETTLING',
]);

/** Everything the investor holds: per pool what they put in, what it is worth now (live), and the totals. */
export function PortfolioPage() {
  useMoneyLive();
  const investments = useAllInvestments();
  const pools = trpc.pools.list.useQuery({});
  const poolMap = new Map(pools.data?.items.map((pool) => [pool.id, pool]));
  const positions = positionsOf(investments.data?.items ?? [], poolMap);
  const liveIds = positions
    .filter((position) => position.open && position.pool && LIVE_STATUSES.has(position.pool.status))
    .map((position) => position.poolId);
  const { live } = usePoolsLive(liveIds);

  const loading = investments.isPending || pools.isPending;
  const error = investments.error ?? pools.error;

  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Portfolio"
        description="Your positions in every pool, valued at each pool’s latest share price."
        actions={
          liveIds.length > 0 ? (
            <Tooltip label={live ? 'Values follow the pools as they trade.' : 'Connecting to live prices…'}>
              <Badge
                variant="dot"
                color={live ? 'teal' : 'gray'}
                size="lg"
                tt="none"
                data-testid="portfolio-live"
                data-live={live}
                tabIndex={0}
              >
                {live ? 'Live values' : 'Connecting…'}
              </Badge>
            </Tooltip>
          ) : null
        }
      />

      {error ? (
        <QueryErrorAlert
          title="Could not load your portfolio"
          error={error}
          onRetry={() => Promise.all([investments.refetch(), pools.refetch()])}
          retrying={investments.isFetching || pools.isFetching}
        />
      ) : !loading && positions.length === 0 ? (
        <EmptyCard
          icon={IconStack2}
          title="No investments yet"
          description="Buy shares in a trading pool and follow what they are worth here, live."
          data-testid="portfolio-empty"
          action={
            <Button component={Link} to="/pools">
              Browse pools
            </Button>
          }
        />
      ) : (
        <Stack gap="lg" data-testid="portfolio" data-live={live}>
          <PortfolioStatCards positions={positions} loading={loading} />
          <PositionsCard positions={positions} loading={loading} />

          <PoolStatements pools={poolMap} />

          <PortfolioCharts positions={positions} loading={loading} />
        </Stack>
      )}
    </>
  );
}
