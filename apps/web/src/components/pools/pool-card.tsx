import { Box, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatChange, formatNav } from '../../lib/format';
import { changeColor, navChange, type Pool, STRATEGY_LABELS } from '../../lib/pools';
import { CompactMoney } from '../compact-money';
import { LabeledValue } from '../labeled-value';
import { PoolStatusBadge, RiskBadge } from './pool-badges';
import classes from './pool-card.module.css';
import { PoolCountdown } from './pool-countdown';
import { RaisedProgress } from './raised-progress';

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <LabeledValue label={label}>
      <Text component="div" fw={650} className={classes.figure}>
        {children}
      </Text>
    </LabeledValue>
  );
}

/** One pool at a glance: status, NAV and its change, money raised, and the next date that matters. */
export function PoolCard({ pool, footer }: { pool: Pool; footer?: ReactNode }) {
  const change = navChange(pool.navPerShare);
  return (
    <Card className={classes.card} h="100%" data-testid="pool-card" data-pool-id={pool.id}>
      <Stack gap="md" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} size="h4" lineClamp={1}>
              <Link to={`/pools/${pool.id}`} className={classes.link}>
                {pool.name}
              </Link>
            </Title>
            <Text size="xs" c="dimmed" truncate>
              {STRATEGY_LABELS[pool.strategy]} · {pool.pair}
            </Text>
          </Stack>
          <PoolStatusBadge status={pool.status} style={{ flexShrink: 0 }} />
        </Group>

        {pool.description ? (
          <Text size="sm" c="dimmed" lineClamp={2} lh={1.5}>
            {pool.description}
          </Text>
        ) : null}

        <SimpleGrid cols={3} spacing="xs">
          <Figure label="NAV">
            <span data-testid="pool-card-nav">{formatNav(pool.navPerShare)}</span>
            <Text size="xs" fw={600} c={changeColor(change)} className={classes.figure}>
              {formatChange(change)}
            </Text>
          </Figure>
          <Figure label="Equity">
            <CompactMoney cents={pool.equityCents} testId="pool-card-equity" />
          </Figure>
          <Figure label="Investors">
            <Group gap={4} wrap="nowrap">
              <IconUsers size={16} stroke={1.6} aria-hidden />
              <span>{pool.investorCount}</span>
            </Group>
          </Figure>
        </SimpleGrid>

        <Box mt="auto">
          <RaisedProgress pool={pool} compact />
        </Box>

        <Group justify="space-between" gap="xs" wrap="nowrap">
          <RiskBadge risk={pool.riskLevel} size="sm" />
          <PoolCountdown pool={pool} size="xs" />
        </Group>
        {footer}
      </Stack>
    </Card>
  );
}
