import {
  Badge,
  Box,
  Button,
  Card,
  Code,
  EmptyState,
  Group,
  Modal,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAlertOctagon,
  IconMail,
  IconMailOpened,
  IconRefresh,
  IconShieldCheck,
} from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatDateTime, formatMoney, formatRelative, formatShortDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-ledger-page.module.css';

type LedgerCheck = RouterOutputs['admin']['ledger']['check'];
type Mail = RouterOutputs['admin']['mail']['outbox'][number];

const OUTBOX_LIMIT = 100;

const MAIL_STATUS_COLOR: Record<string, string> = {
  SENT: 'teal',
  QUEUED: 'blue',
  OUTBOX: 'gray',
  FAILED: 'red',
};

const MAIL_STATUS_HELP: Record<string, string> = {
  SENT: 'Delivered to the SMTP server',
  QUEUED: 'Waiting to be sent',
  OUTBOX: 'No SMTP server configured: kept here and in the log',
  FAILED: 'Sending failed',
};

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
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4}>
        {label}
      </Text>
      <Text fw={650} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Text>
    </Stack>
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
        <div>
          <Text fw={600} size="sm" mb={6}>
            Below zero where that is forbidden ({check.negative.length})
          </Text>
          <Table.ScrollContainer minWidth={420}>
            <Table withTableBorder verticalSpacing={6} data-testid="ledger-negative">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      ) : null}
      {check.mismatched.length > 0 ? (
        <div>
          <Text fw={600} size="sm" mb={6}>
            Balance differs from the sum of its transfers ({check.mismatched.length})
          </Text>
          <Table.ScrollContainer minWidth={560}>
            <Table withTableBorder verticalSpacing={6} data-testid="ledger-mismatched">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th ta="right">Stored balance</Table.Th>
                  <Table.Th ta="right">From transfers</Table.Th>
                  <Table.Th ta="right">Difference</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
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

function MailModal({ mail, onClose }: { mail: Mail | null; onClose: () => void }) {
  return (
    <Modal opened={mail !== null} onClose={onClose} title={mail?.subject ?? 'Message'} size="lg">
      {mail ? (
        <Stack gap="sm">
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              To
            </Text>
            <Text size="sm" fw={600}>
              {mail.to}
            </Text>
            <Badge size="sm" variant="light" color={MAIL_STATUS_COLOR[mail.status] ?? 'gray'}>
              {mail.status.toLowerCase()}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {mail.kind} · created {formatDateTime(mail.createdAt)}
            {mail.sentAt ? ` · sent ${formatDateTime(mail.sentAt)}` : ''}
          </Text>
          {mail.error ? (
            <Text size="sm" c="red.7">
              {mail.error}
            </Text>
          ) : null}
          <Box component="pre" className={classes.mailBody}>
            {mail.text}
          </Box>
        </Stack>
      ) : null}
    </Modal>
  );
}

function OutboxCard() {
  const outbox = trpc.admin.mail.outbox.useQuery({ limit: OUTBOX_LIMIT }, { refetchInterval: 30_000 });
  const [open, setOpen] = useState<Mail | null>(null);

  return (
    <Card p={0}>
      <Group p="md" justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" size="lg" radius="md">
            <IconMail size={20} stroke={1.6} />
          </ThemeIcon>
          <Stack gap={0}>
            <Title order={2} size="h4">
              Mail outbox
            </Title>
            <Text size="sm" c="dimmed">
              What Tradepool emailed people, newest first (latest {OUTBOX_LIMIT}).
            </Text>
          </Stack>
        </Group>
      </Group>
      {outbox.isError ? (
        <Box p="md" pt={0}>
          <QueryErrorAlert
            title="Could not load the outbox"
            error={outbox.error}
            onRetry={() => outbox.refetch()}
            retrying={outbox.isFetching}
          />
        </Box>
      ) : outbox.data && outbox.data.length === 0 ? (
        <EmptyState
          py={40}
          px="md"
          variant="light"
          icon={<IconMailOpened size={28} stroke={1.5} />}
          title="No mail yet"
          description="Deposits, subscriptions and withdrawal decisions send emails; they appear here."
        />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="mail-outbox">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th w="34%">Subject</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outbox.isPending
                ? [0, 1, 2, 3].map((row) => (
                    <Table.Tr key={row} aria-hidden>
                      <Table.Td colSpan={5}>
                        <Skeleton h={18} />
                      </Table.Td>
                    </Table.Tr>
                  ))
                : outbox.data?.map((mail) => (
                    <Table.Tr key={mail.id}>
                      <Table.Td>
                        <Tooltip label={formatDateTime(mail.createdAt)} openDelay={300}>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {formatShortDateTime(mail.createdAt)}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" truncate maw={230} title={mail.to}>
                          {mail.to}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <UnstyledButton
                          onClick={() => setOpen(mail)}
                          className={classes.subject}
                          aria-label={`Read “${mail.subject}” to ${mail.to}`}
                        >
                          {mail.subject}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>
                        <Code fz="xs">{mail.kind}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip
                          label={mail.error ?? MAIL_STATUS_HELP[mail.status] ?? mail.status}
                          multiline
                          w={240}
                        >
                          <Badge
                            variant="light"
                            color={MAIL_STATUS_COLOR[mail.status] ?? 'gray'}
                            miw="max-content"
                            tabIndex={0}
                          >
                            {mail.status.toLowerCase()}
                          </Badge>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <MailModal mail={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** Proof that the money adds up, and the mail the platform sent about it. ADMIN only. */
export function AdminLedgerPage() {
  return (
    <>
      <PageHeader
        title="Ledger"
        description="The double-entry books: every account, every transfer, checked on demand. And the outbox of emails sent."
      />
      <Stack gap="lg">
        <LedgerCard />
        <OutboxCard />
      </Stack>
    </>
  );
}
