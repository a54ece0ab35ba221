import {
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertOctagon, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import type { ReactNode } from 'react';
import { LabeledValue } from '../../components/labeled-value';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-ledger-page.module.css';

type LedgerCheck = RouterOutputs['admin']['ledger']['check'];

/** Ledger account ids are `kind:owner` (`cash:<userId>`, `capital:<poolId>`, `external`): readable enough as code. */
function AccountId({ id }: { id: string }) {
  return (
    <Code fz="sm" style={{ wordBreak: 'break-all' }}>
      {id}
    </Code>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <LabeledValue label={label}>
      <Text fw={650} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Text>
    </LabeledValue>
  );
}

interface OffenderTableProps {
  title: string;
  minWidth: number;
  testId: string;
  /** Header cells after "Account", right-aligned like the amounts under them. */
  amounts: string[];
  children: ReactNode;
}

/** One kind of broken account, as a small bordered table. */
function OffenderTable({ title, minWidth, testId, amounts, children }: OffenderTableProps) {
  return (
    <div>
      <Text fw={600} size="sm" mb={6}>
        {title}
      </Text>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table withTableBorder verticalSpacing={6} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              {amounts.map((amount) => (
                <Table.Th key={amount} ta="right">
                  {amount}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}

function Offenders({ check }: { check: LedgerCheck }) {
  return (
    <Stack gap="md" mt="md">
      {check.totalCents !== 0 ? (
        <Text size="sm">
          The balances add up to <b>{formatMoney(check.totalCents)}</b> instead of zero: money was created or
          lost.
        </Text>
      ) : null}
      {check.negative.length > 0 ? (
        <OffenderTable
          title={`Below zero where that is forbidden (${check.negative.length})`}
          minWidth={420}
          testId="ledger-negative"
          amounts={['Balance']}
        >
          {check.negative.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td>
                <AccountId id={account.id} />
              </Table.Td>
              <Table.Td ta="right" c="red.7" fw={600}>
                {formatMoney(account.balanceCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </OffenderTable>
      ) : null}
      {check.mismatched.length > 0 ? (
        <OffenderTable
          title={`Balance differs from the sum of its transfers (${check.mismatched.length})`}
          minWidth={560}
          testId="ledger-mismatched"
          amounts={['Stored balance', 'From transfers', 'Difference']}
        >
          {check.mismatched.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td>
                <AccountId id={account.id} />
              </Table.Td>
              <Table.Td ta="right">{formatMoney(account.balanceCents)}</Table.Td>
              <Table.Td ta="right">{formatMoney(account.fromTransfersCents)}</Table.Td>
              <Table.Td ta="right" c="red.7" fw={600}>
                {formatMoney(account.balanceCents - account.fromTransfersCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </OffenderTable>
      ) : null}
    </Stack>
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
