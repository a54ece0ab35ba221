import { Anchor, Button, Group, SimpleGrid, Stack } from '@mantine/core';
import { IconArrowUpRight, IconCash, IconLock, IconPlus, IconWallet } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { DepositModal } from '../../components/money/deposit-modal';
import { StatCard } from '../../components/money/stat-card';
import { WalletTransactions } from '../../components/money/wallet-transactions';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { useMoneyLive } from '../../hooks/use-money-live';
import { formatCents } from '../../lib/money';
import { trpc } from '../../lib/trpc';

/** Where money in the wallet goes next. */
const WALLET_LINKS = [
  { to: '/withdrawals', label: 'Withdraw', icon: IconArrowUpRight },
  { to: '/pools', label: 'Browse pools', icon: IconCash },
] as const;

/** The investor's wallet: what they can spend, what is held for withdrawals, deposits and every movement. */
export function WalletPage() {
  useMoneyLive();
  const wallet = trpc.wallet.get.useQuery();
  const [depositing, setDepositing] = useState(false);

  return (
    <>
      <PageHeader
        eyebrow="Your money"
        title="Wallet"
        description="Fund your wallet to buy shares in pools. Payouts land here when a pool settles."
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={() => setDepositing(true)}>
            Deposit
          </Button>
        }
      />

      <Stack gap="lg">
        {wallet.isError ? (
          <QueryErrorAlert
            title="Could not load your wallet"
            error={wallet.error}
            onRetry={() => wallet.refetch()}
            retrying={wallet.isFetching}
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <StatCard
              label="Available balance"
              icon={IconWallet}
              loading={wallet.isPending}
              value={wallet.data ? formatCents(wallet.data.balanceCents) : null}
              hint="Ready to invest or withdraw."
              data-testid="wallet-balance"
              footer={
                <Group gap="xs">
                  {WALLET_LINKS.map(({ to, label, icon: LinkIcon }) => (
                    <Button
                      key={to}
                      size="xs"
                      variant="default"
                      component={Link}
                      to={to}
                      leftSection={<LinkIcon size={14} />}
                    >
                      {label}
                    </Button>
                  ))}
                </Group>
              }
            />
            <StatCard
              label="Held for withdrawals"
              icon={IconLock}
              color="violet"
              loading={wallet.isPending}
              value={wallet.data ? formatCents(wallet.data.heldCents) : null}
              hint={
                <>
                  Reserved until an administrator pays or rejects your{' '}
                  <Anchor component={Link} to="/withdrawals" inherit>
                    withdrawal requests
                  </Anchor>
                  .
                </>
              }
              data-testid="wallet-held"
            />
          </SimpleGrid>
        )}
        <WalletTransactions />
      </Stack>

      <DepositModal opened={depositing} onClose={() => setDepositing(false)} />
    </>
  );
}
