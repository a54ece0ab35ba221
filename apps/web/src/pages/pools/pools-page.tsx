import { Button, Card, Group, Select, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { ClearFiltersButton } from '../../components/filter-bar';
import { EmptyCard } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { LiveStatusBadge } from '../../components/pools/live-status-badge';
import { PoolCard } from '../../components/pools/pool-card';
import { PoolStatusChips } from '../../components/pools/pool-status-chips';
import { QueryErrorAlert, queryErrorProps } from '../../components/query-error-alert';
import { useLivePoolList } from '../../hooks/use-live-pool-list';
import { formatCount } from '../../lib/format';
import {
  isPoolStatus,
  isStrategy,
  POOL_STATUSES,
  type PoolStatus,
  STRATEGIES,
  STRATEGY_LABELS,
  type Strategy,
} from '../../lib/pools';

/** Filters live in the URL: a reload, the back button or a shared link shows the same list. */
function usePoolFilters() {
  const [params, setParams] = useSearchParams();
  const statuses = (params.get('status') ?? '').split(',').filter(isPoolStatus);
  const strategyParam = params.get('strategy');
  const strategy: Strategy | null = isStrategy(strategyParam) ? strategyParam : null;
  const update = (change: { statuses?: PoolStatus[]; strategy?: Strategy | null }) => {
    const nextStatuses = change.statuses ?? statuses;
    const nextStrategy = change.strategy === undefined ? strategy : change.strategy;
    const next = new URLSearchParams();
    if (nextStatuses.length > 0) {
      // In the lifecycle's order, whatever order they were clicked in: one URL per filter.
      next.set('status', POOL_STATUSES.filter((s) => nextStatuses.includes(s)).join(','));
    }
    if (nextStrategy) {
      next.set('strategy', nextStrategy);
    }
    setParams(next, { replace: true });
  };
  return { statuses, strategy, update };
}

function LoadingCards() {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg" aria-busy="true" aria-label="Loading pools">
      {['a', 'b', 'c'].map((key) => (
        <Card key={key}>
          <Stack gap="md">
            <Skeleton h={22} w="60%" />
            <Skeleton h={12} w="40%" />
            <Skeleton h={36} />
            <Skeleton h={40} />
            <Skeleton h={8} radius="xl" />
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** Every pool an investor can look at: filter by status and strategy, watch them move live. */
export function PoolsPage() {
  const { statuses, strategy, update } = usePoolFilters();
  const list = useLivePoolList({
    ...(statuses.length > 0 ? { status: statuses } : {}),
    ...(strategy ? { strategy } : {}),
  });
  const filtered = statuses.length > 0 || strategy !== null;
  const items = list.data?.items ?? [];

  return (
    <>
      <PageHeader
        eyebrow="Investing"
        title="Pools"
        description="Time-boxed pools run by a trading model. Each raises money until its start date, trades until its end date, then settles back to its investors."
        actions={<LiveStatusBadge label="this list" />}
      />

      <Card mb="lg" p="md">
        <Group gap="md" align="flex-end" wrap="wrap" justify="space-between">
          <Stack gap={6} style={{ flex: '1 1 420px' }}>
            <Text size="sm" fw={500} id="pool-status-filter">
              Status
            </Text>
            <PoolStatusChips
              value={statuses}
              onChange={(next) => update({ statuses: next })}
              labelledBy="pool-status-filter"
            />
          </Stack>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <Select
              label="Strategy"
              placeholder="All strategies"
              data={STRATEGIES.map((value) => ({ value, label: STRATEGY_LABELS[value] }))}
              value={strategy}
              onChange={(value) => update({ strategy: isStrategy(value) ? value : null })}
              clearable
              w={{ base: '100%', xs: 220 }}
            />
            {filtered ? (
              <ClearFiltersButton onClear={() => update({ statuses: [], strategy: null })} />
            ) : null}
          </Group>
        </Group>
      </Card>

      {list.isError && !list.data ? (
        <QueryErrorAlert title="Could not load pools" {...queryErrorProps(list)} />
      ) : list.isPending ? (
        <LoadingCards />
      ) : items.length === 0 ? (
        <EmptyCard
          icon={IconStack2}
          title={filtered ? 'No pools match these filters' : 'No pools yet'}
          description={
            filtered
              ? 'Try other statuses or strategies, or clear the filters.'
              : 'Pools appear here as soon as a manager creates them.'
          }
          data-testid="pools-empty"
          action={
            filtered ? (
              <Button variant="default" onClick={() => update({ statuses: [], strategy: null })}>
                Clear filters
              </Button>
            ) : null
          }
        />
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm" data-testid="pools-count" aria-live="polite">
            {formatCount(items.length, 'pool')}
          </Text>
          <SimpleGrid
            cols={{ base: 1, sm: 2, lg: 3 }}
            spacing="lg"
            data-testid="pools-grid"
            style={{ opacity: list.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' }}
          >
            {items.map((pool) => (
              <PoolCard key={pool.id} pool={pool} />
            ))}
          </SimpleGrid>
        </>
      )}
    </>
  );
}
