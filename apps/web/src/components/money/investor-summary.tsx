import { Anchor, Badge, Button, Group, SimpleGrid, Text } from '@mantine/core';
import { IconCalendarCheck, IconCalendarOff, IconPigMoney, IconWallet } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useAuth } from '../../auth/auth-provider';
import { useAllInvestments } from '../../hooks/use-all-investments';
import { useMoneyLive, usePoolsLive } from '../../hooks/use-money-live';
import { formatCount, formatDate, formatMoney } from '../../lib/format';
import { valueOfShares } from '../../lib/money';
import { trpc } from '../../lib/trpc';
import { PnlText } from './money-badges';
import { StatCard } from './stat-card';

/** The signed-in person's money at a glance on the home page; nothing for visitors. */
export function InvestorSummary() {
  const { user } = useAuth();
  if (!user) {
    return null;
  }
  return <Summary subscribed={user.isSubscriptionActive} expiresAt={user.subscriptionExpiresAt} />;
}

function Summary({ subscribed, expiresAt }: { subscribed: boolean; expiresAt: string | null }) {
  useMoneyLive();
  const wallet = trpc.wallet.get.useQuery();
  const investments = useAllInvestments();
  const pools = trpc.pools.list.useQuery({});
  const navs = new Map(pools.data?.items.map((pool) => [pool.id, pool.navPerShare]));
  const active = investments.data?.items.filter((item) => item.status === 'ACTIVE') ?? [];
  usePoolsLive(active.map((item) => item.poolId));

  const invested = active.reduce((sum, item) => sum + item.amountCents, 0);
  const value = active.reduce((sum, item) => {
    const nav = navs.get(item.poolId);
    return sum + ((nav ? valueOfShares(item.shares, nav) : null) ?? item.amountCents);
  }, 0);
  const pnl = value - invested;
  const poolCount = new Set(active.map((item) => item.poolId)).size;

  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg" mb="xl" data-testid="investor-summary">
      <StatCard
        label="Wallet balance"
        icon={IconWallet}
        loading={wallet.isPending}
        value={wallet.data ? formatMoney(wallet.data.balanceCents) : wallet.isError ? '—' : null}
        hint={
          wallet.data && wallet.data.heldCents > 0 ? (
            <>{formatMoney(wallet.data.heldCents)} held for withdrawals</>
          ) : (
            'Available to invest'
          )
        }
        footer={
          <Anchor component={Link} to="/wallet" size="sm" fw={600}>
            Open wallet
          </Anchor>
        }
        data-testid="summary-wallet"
      />
      <StatCard
        label="Subscription"
        icon={subscribed ? IconCalendarCheck : IconCalendarOff}
        color={subscribed ? 'teal' : 'orange'}
        value={
          <Group gap="xs" align="center">
            <Badge size="lg" variant="light" color={subscribed ? 'teal' : 'orange'}>
              {subscribed ? 'Active' : 'Inactive'}
            </Badge>
          </Group>
        }
        hint={
          subscribed && expiresAt ? `Until ${formatDate(expiresAt)}` : 'You need one to invest: $2 a month.'
        }
        footer={
          subscribed ? (
            <Anchor component={Link} to="/subscription" size="sm" fw={600}>
              Manage
            </Anchor>
          ) : (
            <Button component={Link} to="/subscription" size="xs">
              Subscribe
            </Button>
          )
        }
        data-testid="summary-subscription"
      />
      <StatCard
        label="Portfolio value"
        icon={IconPigMoney}
        color="grape"
        loading={investments.isPending || pools.isPending}
        value={investments.isError || pools.isError ? '—' : formatMoney(value)}
        hint={
          poolCount > 0 ? (
            <Group gap={6}>
              <PnlText cents={pnl} ratio={invested > 0 ? pnl / invested : null} size="sm" />
              <Text span size="sm" c="dimmed">
                in {formatCount(poolCount, 'pool')}
              </Text>
            </Group>
          ) : (
            'No open positions'
          )
        }
        footer={
          <Anchor component={Link} to={poolCount > 0 ? '/portfolio' : '/pools'} size="sm" fw={600}>
            {poolCount > 0 ? 'Open portfolio' : 'Browse pools'}
          </Anchor>
        }
        data-testid="summary-portfolio"
      />
    </SimpleGrid>
  );
}
