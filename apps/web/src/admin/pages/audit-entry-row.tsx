import { ActionIcon, Badge, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDateTime, formatIp, formatShortDateTime } from '../../lib/format';
import classes from './admin-audit-page.module.css';
import { type AuditEntry, actionColor } from './audit-entry';
import { EntryDetails } from './audit-entry-details';

/** The table's columns: the details toggle, then one per field of an entry. */
export const ENTRY_COLUMNS = 6;

function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

/** The header cells over `EntryRow`s, one per column. */
export function EntryHead() {
  return (
    <>
      <Table.Th w={40}>
        <VisuallyHidden>Details</VisuallyHidden>
      </Table.Th>
      <Table.Th>Time</Table.Th>
      <Table.Th>Actor</Table.Th>
      <Table.Th>Action</Table.Th>
      <Table.Th>Target</Table.Th>
      <Table.Th>IP</Table.Th>
    </>
  );
}

/** One entry as a table row; a click on it (unless it selects text) opens its details in a row beneath. */
export function EntryRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-entry-${entry.id}`;
  return (
    <>
      <Table.Tr
        className={classes.row}
        data-open={open || undefined}
        onClick={(event) => {
          // Selecting text (a hash, an email) must not toggle the row.
          if (!window.getSelection()?.toString()) {
            setOpen(!open);
            event.currentTarget.querySelector('button')?.focus();
          }
        }}
      >
        <Table.Td w={40} pr={0}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} details of entry ${entry.seq}`}
            onClick={(event) => {
              event.stopPropagation();
              setOpen(!open);
            }}
          >
            <IconChevronRight size={16} className={classes.chevron} />
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Tooltip label={formatDateTime(entry.at)} openDelay={300}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              <time dateTime={entry.at}>{formatShortDateTime(entry.at)}</time>
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Text size="sm" truncate maw={240}>
            {entry.actorEmail ?? (entry.actorId ? shortId(entry.actorId) : 'System')}
          </Text>
        </Table.Td>
        <Table.Td>
          <Badge
            variant="light"
            color={actionColor(entry.action)}
            tt="none"
            ff="monospace"
            fw={500}
            style={{ minWidth: 'max-content' }}
          >
            {entry.action}
          </Badge>
        </Table.Td>
        <Table.Td>
          {entry.targetType ? (
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {entry.targetType}{' '}
              {entry.targetId ? (
                <Text span c="dimmed" ff="monospace" size="xs" title={entry.targetId}>
                  {shortId(entry.targetId)}
                </Text>
              ) : null}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace" c={entry.ip ? undefined : 'dimmed'} title={entry.ip ?? undefined}>
            {formatIp(entry.ip)}
          </Text>
        </Table.Td>
      </Table.Tr>
      {open ? (
        <Table.Tr id={detailsId}>
          <Table.Td colSpan={ENTRY_COLUMNS} p={0}>
            <EntryDetails entry={entry} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}
