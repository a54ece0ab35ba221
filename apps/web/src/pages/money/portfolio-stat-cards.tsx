import { SimpleGrid } from '@mantine/core';
import { IconChartLine, IconCoins, IconPigMoney, IconReceipt2 } from '@tabler/icons-react';
import { PnlStatCard, StatCard } from '../../components/money/stat-card';
import { formatCount } from '../../lib/format';
import { formatCents, formatPercent } from '../../lib/money';
import type { Position } from './portfolio-positions';

/** The headline figures: what the open positions are worth and cost, and the profit on the open and the settled. */
export function PortfolioStatCards({ positions, loading }: { positions: Position[]; loading: boolean }) {
  const open = positions.filter((position) => position.open);
  const settled = positions.filter((position) => !position.open);
  const invested = open.reduce((sum, position) => sum + position.investedCents, 0);
  const value = open.reduce((sum, position) => sum + position.valueCents, 0);
  const unrealized = value - invested;
  const realized = settled.reduce((sum, position) => sum + position.pnlCents, 0);
  const pnlCards = [
    {
      label: 'Unrealized PnL',
      icon: IconChartLine,
      cents: unrealized,
      hint: invested > 0 ? formatPercent(unrealized / invested) : 'Nothing open',
      'data-testid': 'portfolio-pnl',
    },
    {
      label: 'Realized PnL',
      icon: IconReceipt2,
      cents: realized,
      hint:
        settled.length > 0
          ? `${formatCount(settled.length, 'settled position')}, after fees`
          : 'Nothing settled yet',
      'data-testid': 'portfolio-realized',
    },
  ];
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg">
      <StatCard
        label="Current value"
        icon={IconPigMoney}
        loading={loading}
        value={formatCents(value)}
        hint={formatCount(open.length, 'open position')}
        data-testid="portfolio-value"
      />
      <StatCard
        label="Invested"
        icon={IconCoins}
        color="grape"
        loading={loading}
        value={formatCents(invested)}
        hint="In positions still open"
        data-testid="portfolio-invested"
      />
      {pnlCards.map((card) => (
        <PnlStatCard key={card['data-testid']} loading={loading} {...card} />
      ))}
    </SimpleGrid>
  );
}
