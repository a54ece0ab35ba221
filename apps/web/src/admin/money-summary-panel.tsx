import { Anchor, Card, Group, Paper, SimpleGrid, Skeleton, Text, ThemeIcon } from '@mantine/core';
import { type Icon, IconCashBanknote, IconChartPie, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth/auth-provider';
import { Caption } from '../components/labeled-value';
import { QueryErrorAlert } from '../components/query-error-alert';
import { formatCount, formatMoney, plural } from '../lib/format';
import { trpc } from '../lib/trpc';
import { PanelTitle } from './components/panel-title';

function Tile({
  label,
  icon: TileIcon,
  color,
  value,
  hint,
  testId,
}: {
  label: string;
  icon: Icon;
  color: string;
  value: ReactNode;
  hint: ReactNode;
  testId: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" mb={6}>
        <Caption>{label}</Caption>
        <ThemeIcon variant="light" color={color} size="md" radius="md" aria-hidden>
          <TileIcon size={16} stroke={1.7} />
        </ThemeIcon>
      </Group>
      <Text fz={24} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      <Text size="sm" c="dimmed" mt={4} component="div">
        {hint}
      </Text>
    </Paper>
  );
}

/** The money at a glance for operators: assets under management, paying subscribers, withdrawals to handle. */
export function MoneySummaryPanel() {
  const { user } = useAuth();
  const summary = trpc.admin.dashboard.summary.useQuery(undefined, { refetchInterval: 30_000 });
  const isAdmin = user?.role === 'ADMIN';

  let body: ReactNode;
  if (summary.isError) {
    body = (
      <QueryErrorAlert
        title="Could not load the money summary"
        error={summary.error}
        onRetry={() => summary.refetch()}
        retrying={summary.isFetching}
      />
    );
  } else if (summary.isPending) {
    body = (
      <SimpleGrid
        cols={{ base: 1, sm: 3 }}
        spacing="md"
        aria-busy="true"
        aria-label="Loading the money summary"
      >
        {['aum', 'subscribers', 'withdrawals'].map((key) => (
          <Skeleton key={key} h={112} radius="md" />
        ))}
      </SimpleGrid>
    );
  } else {
    const data = summary.data;
    body = (
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Tile
          label="Assets under management"
          icon={IconChartPie}
          color="ocean"
          value={formatMoney(data.aumCents)}
          hint={`Across ${formatCount(data.openPools, 'pool')} not yet settled`}
          testId="summary-aum"
        />
        <Tile
          label="Active subscribers"
          icon={IconUsersGroup}
          color="teal"
          value={data.activeSubscribers.toLocaleString('en-US')}
          hint={`of ${data.investors.toLocaleString('en-US')} ${plural(data.investors, 'investor')}`}
          testId="summary-subscribers"
        />
        <Tile
          label="Pending withdrawals"
          icon={IconCashBanknote}
          color={data.pendingWithdrawals > 0 ? 'orange' : 'gray'}
          value={formatMoney(data.pendingWithdrawalsCents)}
          hint={
            <>
              {formatCount(data.pendingWithdrawals, 'request')} to approve or pay
              {isAdmin && data.pendingWithdrawals > 0 ? (
                <>
                  {' · '}
                  <Anchor component={Link} to="/admin/withdrawals" inherit>
                    Review
                  </Anchor>
                </>
              ) : null}
            </>
          }
          testId="summary-withdrawals"
        />
      </SimpleGrid>
    );
  }

  return (
    <Card data-testid="money-summary">
      <PanelTitle icon={IconChartPie}>Money</PanelTitle>
      {body}
    </Card>
  );
}
