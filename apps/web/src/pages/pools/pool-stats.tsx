import { Progress, SimpleGrid, Text } from '@mantine/core';
import { StatTile } from '../../components/labeled-value';
import { PoolCountdown } from '../../components/pools/pool-countdown';
import { formatChange, formatMoney, formatNav, formatRatio, formatRelative } from '../../lib/format';
import { changeColor, navChange, type Pool, raisedPercent, STATUS_META } from '../../lib/pools';
import classes from './pool-page.module.css';

/** The pool's figures under its header: NAV, equity, money raised, investors, and the countdown or end date. */
export function PoolStats({ pool }: { pool: Pool }) {
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
