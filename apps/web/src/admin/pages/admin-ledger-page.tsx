import {
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertOctagon, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { LabeledValue } from '../../components/labeled-value';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-ledger-page.module.css';
import { Offenders } from './ledger-offenders';

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <LabeledValue label={label}>
      <Text fw={650} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Text>
    </LabeledValue>
  );
}

function LedgerCard() {
  const check = trpc.admin.ledger.check.useQuery(undefined, { staleTime: 0 });

  if (check.isError) {
    return (
      <QueryErrorAlert
        title="Could not check the ledger"
        error={check.error}
        onRetry={() => check.refetch()}
        retrying={check.isFetching}
      />
    );
  }
  if (check.isPending) {
    return <Skeleton h={180} radius="lg" aria-label="Checking the ledger" />;
  }
  const { data } = check;
  const ok = data.balanced;

  return (
    <Card
      className={classes.checkCard}
      data-state={ok ? 'balanced' : 'unbalanced'}
      data-testid="ledger-check"
      aria-live="polite"
    >
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon size={52} radius="md" color={ok ? 'teal' : 'red'} variant="filled">
            {ok ? <IconShieldCheck size={28} stroke={1.7} /> : <IconAlertOctagon size={28} stroke={1.7} />}
          </ThemeIcon>
          <Stack gap={4}>
            <Title order={2} size="h3" className={classes.checkTitle} data-ok={ok || undefined}>
              {ok ? 'The books balance' : 'The books do not balance'}
            </Title>
            <Text size="sm" c="dimmed" maw={560}>
              {ok
                ? 'Every account’s balance equals the sum of its transfers, none is below zero where that is forbidden, and all balances add up to zero.'
                : 'Something moved money outside the ledger, or a balance is wrong. Investigate the accounts below before any payout.'}
            </Text>
          </Stack>
        </Group>
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          onClick={() => check.refetch()}
          loading={check.isFetching}
        >
          Check again
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" mt="lg">
        <Figure label="Sum of balances">{formatMoney(data.totalCents)}</Figure>
        <Figure label="Accounts">{data.accounts.toLocaleString('en-US')}</Figure>
        <Figure label="Transfers">{data.transfers.toLocaleString('en-US')}</Figure>
        <Figure label="Checked">
          <Tooltip label={formatDateTime(new Date(check.dataUpdatedAt).toISOString())}>
            <span>{formatRelative(new Date(check.dataUpdatedAt).toISOString())}</span>
          </Tooltip>
        </Figure>
      </SimpleGrid>
      {ok ? null : <Offenders check={data} />}
    </Card>
  );
}

/** Proof that the money adds up. ADMIN only. (The mail outbox has its own page: admin-mail-page.tsx.) */
export function AdminLedgerPage() {
  return (
    <>
      <PageHeader
        title="Ledger"
        description="The double-entry books: every account, every transfer, checked on demand."
      />
      <Stack gap="lg">
        <LedgerCard />
      </Stack>
    </>
  );
}
