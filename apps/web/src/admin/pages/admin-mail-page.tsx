import {
  Badge,
  Box,
  Card,
  Code,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconMailOpened } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { type ListEmpty, ListState, type ListTable } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { formatDateTime, formatPreciseDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-mail-page.module.css';

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

const NO_MAIL: ListEmpty = {
  icon: IconMailOpened,
  title: 'No mail yet',
  description: 'Deposits, subscriptions and withdrawal decisions send emails; they appear here.',
  py: 40,
};

const OUTBOX_TABLE: ListTable = {
  minWidth: 760,
  columns: 5,
  skeletonHeight: 18,
  props: { highlightOnHover: true, 'data-testid': 'mail-outbox' },
  head: (
    <>
      <Table.Th>Created</Table.Th>
      <Table.Th>To</Table.Th>
      <Table.Th w="34%">Subject</Table.Th>
      <Table.Th>Kind</Table.Th>
      <Table.Th>Status</Table.Th>
    </>
  ),
};

function OutboxCard() {
  const outbox = trpc.admin.mail.outbox.useQuery({ limit: OUTBOX_LIMIT }, { refetchInterval: 30_000 });
  const [open, setOpen] = useState<Mail | null>(null);

  return (
    <Card p={0}>
      <Text size="sm" c="dimmed" p="md">
        The latest {OUTBOX_LIMIT} messages. Select a subject to read the message.
      </Text>
      <ListState
        query={outbox}
        items={outbox.data}
        errorTitle="Could not load the outbox"
        empty={NO_MAIL}
        table={OUTBOX_TABLE}
      >
        {(items) =>
          items.map((mail) => (
            <Table.Tr key={mail.id}>
              <Table.Td>
                <Tooltip label={formatPreciseDateTime(mail.createdAt)} openDelay={300}>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(mail.createdAt)}
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
                <Tooltip label={mail.error ?? MAIL_STATUS_HELP[mail.status] ?? mail.status} multiline w={240}>
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
          ))
        }
      </ListState>
      <MailModal mail={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** The mail outbox: every email Tradepool sent (or kept, without SMTP), newest first. ADMIN only. */
export function AdminMailPage() {
  return (
    <>
      <PageHeader
        title="Mail outbox"
        description="Every email the platform sent people (deposits, subscriptions, withdrawal decisions), newest first. Without SMTP_URL they are kept here and in the log instead of being sent."
      />
      <OutboxCard />
    </>
  );
}
