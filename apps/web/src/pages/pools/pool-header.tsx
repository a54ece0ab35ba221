import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { LiveStatusBadge } from '../../components/pools/live-status-badge';
import { PoolStatusBadge, RiskBadge } from '../../components/pools/pool-badges';
import { type Pool, STRATEGY_LABELS } from '../../lib/pools';
import { PoolActions } from './pool-actions';

/** The pool's name, strategy, status and risk, its description, the live badge and the money pages' actions. */
export function PoolHeader({ pool }: { pool: Pool }) {
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
