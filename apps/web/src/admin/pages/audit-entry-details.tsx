import { Box, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { LabeledValue } from '../../components/labeled-value';
import classes from './admin-audit-page.module.css';
import { CopyValue } from './audit-copy-value';
import type { AuditEntry } from './audit-entry';

function renderValue(value: unknown): string {
  if (value === undefined) {
    return '—';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Before and after, field by field, changed fields marked; raw JSON when the values are not objects. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const b = asRecord(before);
  const a = asRecord(after);
  if (before == null && after == null) {
    return (
      <Text size="sm" c="dimmed">
        No data recorded with this entry.
      </Text>
    );
  }
  if ((before != null && !b) || (after != null && !a)) {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Code block>{JSON.stringify(before, null, 2)}</Code>
        <Code block>{JSON.stringify(after, null, 2)}</Code>
      </SimpleGrid>
    );
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return (
    <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm" className={classes.diff}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="25%">Field</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {keys.map((key) => {
          const was = b?.[key];
          const is = a?.[key];
          const changed = JSON.stringify(was) !== JSON.stringify(is);
          return (
            <Table.Tr key={key} data-changed={changed || undefined}>
              <Table.Td ff="monospace">{key}</Table.Td>
              <Table.Td ff="monospace" className={changed ? classes.removed : undefined}>
                {b ? renderValue(was) : '—'}
              </Table.Td>
              <Table.Td ff="monospace" className={changed ? classes.added : undefined}>
                {a ? renderValue(is) : '—'}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <LabeledValue label={label}>
      <Group gap={4} wrap="nowrap" align="center">
        {children}
      </Group>
    </LabeledValue>
  );
}

/** A chain hash in full, with a button that copies it (labelled with the detail's name). */
function HashDetail({ label, hash }: { label: string; hash: string }) {
  return (
    <Detail label={label}>
      <Code fz="xs" className={classes.hash}>
        {hash}
      </Code>
      <CopyValue value={hash} label={label.toLowerCase()} />
    </Detail>
  );
}

export function EntryDetails({ entry }: { entry: AuditEntry }) {
  return (
    <Stack gap="md" p="md" className={classes.details} data-testid="audit-details">
      <Box>
        <Text size="sm" fw={600} mb={6}>
          Changes
        </Text>
        <Changes before={entry.before} after={entry.after} />
      </Box>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <Detail label="Entry">
          <Text size="sm" ff="monospace">
            #{entry.seq} · {entry.id}
          </Text>
        </Detail>
        <Detail label="Actor id">
          <Text size="sm" ff="monospace">
            {entry.actorId ?? '—'}
          </Text>
        </Detail>
        <HashDetail label="Previous hash" hash={entry.prevHash} />
        <HashDetail label="Hash" hash={entry.hash} />
      </SimpleGrid>
    </Stack>
  );
}
