import { Anchor, Button, Grid, SimpleGrid, Skeleton, Stack } from '@mantine/core';
import { IconArrowLeft, IconSearchOff } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { EmptyCard } from '../../components/list-state';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { appCode } from '../../lib/errors';
import { PoolChart } from './pool-chart';
import { PoolDatesCard } from './pool-dates-card';
import { PoolHeader } from './pool-header';
import { PoolModelStatus } from './pool-model-status';
import { PoolPositions } from './pool-positions';
import { PoolStats } from './pool-stats';
import { PoolTrades } from './pool-trades';
import { useLivePool } from './use-live-pool';
import { usePoolReport } from './use-pool-report';

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
      <PoolHeader pool={data} />
      <PoolStats pool={data} />
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
          <PoolDatesCard pool={data} />
        </Grid.Col>
      </Grid>
    </>
  );
}
