import {
  ActionIcon,
  Autocomplete,
  Badge,
  Box,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import {
  IconCalendar,
  IconCheck,
  IconChevronRight,
  IconCopy,
  IconLink,
  IconLinkOff,
  IconListDetails,
  IconRefresh,
} from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@tradepool/api';
import dayjs from 'dayjs';
import { Fragment, type ReactNode, useState } from 'react';
import { ClearFiltersButton, FilterBar, SearchInput } from '../../components/filter-bar';
import { LabeledValue } from '../../components/labeled-value';
import { ListState } from '../../components/list-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { formatCount, formatDateTime, formatIp, formatShortDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import classes from './admin-audit-page.module.css';

type AuditEntry = RouterOutputs['admin']['audit']['list']['items'][number];

const PAGE_SIZE = 50;
const FILTER_DEBOUNCE_MS = 300;
const COLUMNS = 6;

/** Families of actions, by prefix, for the filter's suggestions and the badge colours. */
const ACTION_FAMILIES: ReadonlyArray<{ prefix: string; color: string; label: string }> = [
  { prefix: 'auth.', color: 'blue', label: 'Sign-ins and sign-outs' },
  { prefix: 'session.', color: 'cyan', label: 'Sessions' },
  { prefix: 'user.', color: 'violet', label: 'Changes people make to their own account' },
  { prefix: 'admin.', color: 'grape', label: 'Administrators acting on others' },
  { prefix: 'demo.', color: 'yellow', label: 'Demo data' },
];

function actionColor(action: string): string {
  if (/failed|reuse|locked/.test(action)) {
    return 'orange';
  }
  return ACTION_FAMILIES.find((family) => action.startsWith(family.prefix))?.color ?? 'gray';
}

function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${label}`}>
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            size="sm"
            onClick={copy}
            aria-label={`Copy ${label}`}
          >
            {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** The top of the page: is the log as it was written? Every entry hashes its content and its predecessor's hash. */
function ChainStatus() {
  const verify = trpc.admin.audit.verify.useQuery(undefined, { staleTime: 0 });

  if (verify.isPending) {
    return (
      <Card mb="lg" aria-busy="true" aria-label="Verifying the audit chain">
        <Group gap="md" wrap="nowrap">
          <Skeleton circle h={44} w={44} />
          <Stack gap={8} style={{ flex: 1 }}>
            <Skeleton h={16} w="40%" />
            <Skeleton h={12} w="70%" />
          </Stack>
        </Group>
      </Card>
    );
  }
  if (verify.isError) {
    return (
      <Box mb="lg">
        <QueryErrorAlert
          title="Could not verify the audit chain"
          error={verify.error}
          onRetry={() => verify.refetch()}
          retrying={verify.isFetching}
        />
      </Box>
    );
  }

  const { intact, checked, brokenAt, lastHash } = verify.data;
  const again = (
    <Button
      variant="default"
      size="xs"
      leftSection={<IconRefresh size={14} />}
      loading={verify.isFetching}
      onClick={() => void verify.refetch()}
    >
      Verify again
    </Button>
  );

  return (
    <Card
      mb="lg"
      className={classes.chain}
      data-intact={intact || undefined}
      data-testid="chain-status"
      role="status"
    >
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Group gap="md" wrap="nowrap" align="flex-start" style={{ flex: '1 1 320px' }}>
          <ThemeIcon size={44} radius="xl" variant="light" color={intact ? 'teal' : 'red'}>
            {intact ? <IconLink size={24} stroke={1.7} /> : <IconLinkOff size={24} stroke={1.7} />}
          </ThemeIcon>
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Title order={2} size="h4" c={intact ? undefined : 'red'}>
              {intact
                ? `Chain intact (${formatCount(checked, 'entry', 'entries')})`
                : `Chain broken at entry #${brokenAt?.seq ?? '?'}`}
            </Title>
            {intact ? (
              <Text size="sm" c="dimmed">
                Every entry matches its hash and links to the one before it: nothing was changed or removed.
              </Text>
            ) : (
              <Text size="sm">
                {brokenAt ? (
                  <>
                    Entry <Code>{brokenAt.id}</Code>: {brokenAt.reason}. Entries from this one on cannot be
                    trusted; the log was changed outside Tradepool.
                  </>
                ) : (
                  'The log was changed outside Tradepool.'
                )}
              </Text>
            )}
            {lastHash ? (
              <Group gap={4} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  Latest hash
                </Text>
                <Code fz="xs">{shortHash(lastHash)}</Code>
                <CopyValue value={lastHash} label="latest hash" />
              </Group>
            ) : null}
          </Stack>
        </Group>
        {again}
      </Group>
    </Card>
  );
}

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

function EntryDetails({ entry }: { entry: AuditEntry }) {
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

function EntryRow({ entry }: { entry: AuditEntry }) {
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
          <Table.Td colSpan={COLUMNS} p={0}>
            <EntryDetails entry={entry} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

/** Local calendar days → the instants the API filters on: from the start of the first to the end of the last. */
function rangeToInstants(range: DatesRangeValue<string>): { from?: string; to?: string } {
  const [start, end] = range;
  if (!start) {
    return {};
  }
  return {
    from: dayjs(start).startOf('day').toISOString(),
    to: dayjs(end ?? start)
      .endOf('day')
      .toISOString(),
  };
}

/** Every admin action and money movement, newest first, with the proof that none was altered. ADMIN only. */
export function AdminAuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [range, setRange] = useState<DatesRangeValue<string>>([null, null]);
  const [debouncedActor] = useDebouncedValue(actor.trim(), FILTER_DEBOUNCE_MS);
  const [debouncedAction] = useDebouncedValue(action.trim(), FILTER_DEBOUNCE_MS);

  const filters = {
    actor: debouncedActor || undefined,
    action: debouncedAction || undefined,
    ...rangeToInstants(range),
    limit: PAGE_SIZE,
  };
  const utils = trpc.useUtils();
  // TanStack's infinite query rather than tRPC's: tRPC's adds a `direction` field to the input, which this
  // procedure's strict input refuses.
  const audit = useInfiniteQuery({
    queryKey: ['admin.audit.list', filters],
    queryFn: ({ pageParam, signal }) =>
      utils.client.admin.audit.list.query({ ...filters, cursor: pageParam }, { signal }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(actor.trim() || action.trim() || range[0]);
  const clearFilters = () => {
    setActor('');
    setAction('');
    setRange([null, null]);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative action, sign-in and money movement, newest first. Entries are append-only and chained by hash."
      />

      <ChainStatus />

      <Card p={0}>
        <FilterBar>
          <SearchInput
            label="Actor"
            placeholder="Email or user id"
            value={actor}
            onChange={setActor}
            basis={220}
          />
          <Autocomplete
            label="Action"
            placeholder="e.g. auth. or user.totp"
            description={undefined}
            data={ACTION_FAMILIES.map((family) => family.prefix)}
            value={action}
            onChange={setAction}
            style={{ flex: '1 1 200px' }}
            ff="monospace"
          />
          <DatePickerInput
            type="range"
            label="Dates"
            placeholder="Any time"
            leftSection={<IconCalendar size={16} />}
            value={range}
            onChange={setRange}
            clearable
            allowSingleDateInRange
            maxDate={dayjs().format('YYYY-MM-DD')}
            valueFormat="D MMM YYYY"
            style={{ flex: '1 1 240px' }}
          />
          {filtered ? <ClearFiltersButton onClear={clearFilters} /> : null}
        </FilterBar>

        <ListState
          query={audit}
          items={audit.data ? entries : undefined}
          errorTitle="Could not load the audit log"
          empty={{
            icon: IconListDetails,
            title: 'The audit log is empty',
            description: 'Entries appear here as people sign in and administrators act.',
            'data-testid': 'audit-empty',
          }}
          filtered={
            filtered
              ? {
                  title: 'No entries match these filters',
                  description:
                    'Actions match by prefix ("auth." finds every sign-in entry). Try a wider date range.',
                  onClear: clearFilters,
                }
              : null
          }
          table={{
            minWidth: 820,
            columns: COLUMNS,
            placeholder: { rows: 8, first: { h: 14, w: 16 }, rest: { h: 14, w: 90 } },
            props: {
              'data-testid': 'audit-table',
              'aria-busy': audit.isFetching,
              style: { opacity: audit.isPlaceholderData ? 0.6 : 1, transition: 'opacity 150ms' },
            },
            head: (
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
            ),
          }}
          pager={{
            hasMore: audit.hasNextPage,
            loadingMore: audit.isFetchingNextPage,
            onLoadMore: () => audit.fetchNextPage(),
            summary: (
              <Text size="sm" c="dimmed" data-testid="audit-count">
                {formatCount(entries.length, 'entry', 'entries')} shown
                {audit.hasNextPage ? '' : ' · end of the log'}
              </Text>
            ),
          }}
        >
          {(items) =>
            items.map((entry) => (
              <Fragment key={entry.id}>
                <EntryRow entry={entry} />
              </Fragment>
            ))
          }
        </ListState>
      </Card>
    </>
  );
}
