import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Code,
  Grid,
  Group,
  NumberInput,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconActivity,
  IconAlertTriangle,
  IconHeartbeat,
  IconInbox,
  IconKey,
  IconPlugConnected,
  IconRefresh,
  IconRotateClockwise,
  IconWebhook,
} from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ListState } from '../../components/list-state';
import { confirmAction, ModalActions } from '../../components/modal-actions';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { RevealOnceModal } from '../../components/reveal-once-modal';
import { SectionCard } from '../../components/section-card';
import { useNow } from '../../hooks/use-now';
import { errorMessage } from '../../lib/errors';
import {
  formatCount,
  formatDateTime,
  formatIp,
  formatRelative,
  formatShortDateTime,
  formatWait,
} from '../../lib/format';
import { HEARTBEAT_STALE_MS, isTradingNow, STATUS_META } from '../../lib/pools';
import { trpc } from '../../lib/trpc';
import { CopyField } from '../components/copy-field';
import {
  type Delivery,
  type DeliveryOutcome,
  HeartbeatAge,
  INGEST_REFRESH_MS,
  IngestStats,
  OUTCOME_META,
  OutcomeBadge,
} from '../components/ingest-overview';
import { ModelApiKeysSection } from '../components/model-api-keys-section';

const DEFAULT_OVERLAP_MINUTES = 60;
const MAX_OVERLAP_MINUTES = 7 * 24 * 60;
const DELIVERY_PAGE = 25;

const OVERLAP_ERROR = 'Between 0 and 10,080 minutes (a week)';

/** The whole number of overlap minutes typed, or null when the server would refuse it. */
function overlapMinutes(value: number | string): number | null {
  const minutes = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_OVERLAP_MINUTES ? minutes : null;
}

type Rotated = { secret: string; hint: string; previousValidUntil: string | null };

function RotateSecretModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const rotate = trpc.admin.integrations.rotateSecret.useMutation();
  const form = useForm<{ overlap: number | string }>({
    initialValues: { overlap: DEFAULT_OVERLAP_MINUTES },
    validate: { overlap: (value) => (overlapMinutes(value) === null ? OVERLAP_ERROR : null) },
  });
  const { overlap } = form.values;
  const minutes = overlapMinutes(overlap) ?? 0;
  const valid = overlapMinutes(overlap) !== null;

  const close = () => {
    // The secret leaves memory with the dialog: it is never shown again.
    setRotated(null);
    form.reset();
    rotate.reset();
    onClose();
  };

  const confirm = () => {
    confirmAction({
      title: 'Rotate the webhook secret?',
      body: (
        <>
          A new signing secret is created and shown once.{' '}
          {minutes === 0
            ? 'The current secret stops working at once: deliveries signed with it are refused from now on.'
            : `The current secret keeps working for ${formatWait(minutes * 60)}, time to give the new one to the trading model.`}
        </>
      ),
      confirmLabel: 'Rotate secret',
      cancelLabel: 'Back',
      danger: minutes === 0,
      onConfirm: () => {
        rotate.mutate(
          { overlapMinutes: minutes },
          {
            onSuccess: (result) => {
              setRotated(result);
              void utils.admin.integrations.webhook.invalidate();
              notifications.show({
                color: 'teal',
                title: 'Secret rotated',
                message: `New secret ${result.hint}`,
              });
            },
          },
        );
      },
    });
  };

  return (
    <RevealOnceModal
      opened={opened}
      onClose={close}
      revealed={rotated}
      titles={{ ask: 'Rotate the webhook secret', reveal: 'Your new webhook secret' }}
      size="lg"
      reveal={(fresh) => (
        <Stack gap="md" data-testid="new-secret">
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the secret is shown. Give it to the trading model team over a secure
            channel; Tradepool keeps it encrypted and never displays it again.
          </Alert>
          <CopyField label="Signing secret" value={fresh.secret} testId="new-secret-value" />
          <Text size="sm" c="dimmed">
            {fresh.previousValidUntil
              ? `The previous secret stays valid until ${formatDateTime(fresh.previousValidUntil)}.`
              : 'The previous secret no longer works.'}
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      )}
    >
      <form onSubmit={form.onSubmit(confirm)} noValidate>
        <Stack gap="md">
          <Text size="sm">
            The trading model signs every delivery with the secret. Rotate it when it may have leaked or on a
            schedule; both secrets are accepted during the overlap, so no delivery is refused while the model
            switches.
          </Text>
          <NumberInput
            label="Overlap"
            description="Minutes the current secret keeps working (0 to 10,080)"
            suffix=" min"
            min={0}
            max={MAX_OVERLAP_MINUTES}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('overlap')}
            error={valid || overlap === '' ? null : OVERLAP_ERROR}
            maw={280}
            data-autofocus
          />
          {rotate.isError ? (
            <Alert color="red" role="alert">
              {errorMessage(rotate.error)}
            </Alert>
          ) : null}
          <ModalActions onCancel={close}>
            <Button
              type="submit"
              leftSection={<IconRotateClockwise size={16} />}
              disabled={!valid}
              loading={rotate.isPending}
            >
              Rotate…
            </Button>
          </ModalActions>
        </Stack>
      </form>
    </RevealOnceModal>
  );
}

function secretState(secret: { active: boolean; expiresAt: string | null }, now: number) {
  if (!secret.active || (secret.expiresAt && new Date(secret.expiresAt).getTime() <= now)) {
    return { label: 'Expired', color: 'gray' };
  }
  if (secret.expiresAt) {
    return { label: 'Expiring', color: 'orange' };
  }
  return { label: 'Active', color: 'teal' };
}

function WebhookSection() {
  const webhook = trpc.admin.integrations.webhook.useQuery();
  const [rotating, setRotating] = useState(false);
  const now = useNow(30_000);

  return (
    <SectionCard
      icon={IconWebhook}
      title="Model webhook"
      description="Where the trading model posts trades, positions, PnL and status, signed per Standard Webhooks."
      aside={
        <Button
          variant="light"
          leftSection={<IconRotateClockwise size={16} />}
          onClick={() => setRotating(true)}
          disabled={!webhook.data}
        >
          Rotate secret
        </Button>
      }
      data-testid="webhook-section"
    >
      {webhook.isError && !webhook.data ? (
        <QueryErrorAlert
          title="Could not load the webhook settings"
          error={webhook.error}
          onRetry={() => webhook.refetch()}
          retrying={webhook.isFetching}
        />
      ) : !webhook.data ? (
        <Stack gap="sm">
          <Skeleton h={56} />
          <Skeleton h={96} />
        </Stack>
      ) : (
        <Stack gap="md">
          <CopyField
            label="Webhook URL"
            value={`${window.location.origin}${webhook.data.path}`}
            testId="webhook-url"
          />
          <Text size="xs" c="dimmed">
            Headers <Code>webhook-id</Code>, <Code>webhook-timestamp</Code> (unix seconds, within 5 minutes)
            and <Code>webhook-signature</Code> (<Code>v1,</Code> + base64 HMAC-SHA256 of{' '}
            <Code>id.timestamp.body</Code>, keyed with the base64 part of the secret).
          </Text>
          {webhook.data.pinnedByEnvironment ? (
            <Alert color="blue" icon={<IconKey size={18} />} py="xs">
              <Text size="sm">
                <Code>MODEL_WEBHOOK_SECRET</Code> is set on the server: that secret stays valid after a
                rotation, until it is removed from the environment.
              </Text>
            </Alert>
          ) : null}
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="xs" data-testid="secrets-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Secret</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Valid until</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {webhook.data.secrets.map((secret) => {
                  const state = secretState(secret, now);
                  return (
                    <Table.Tr key={secret.id}>
                      <Table.Td>
                        <Text ff="monospace" size="sm">
                          {secret.hint}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={formatDateTime(secret.createdAt)} openDelay={300}>
                          <Text size="sm">{formatShortDateTime(secret.createdAt)}</Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c={secret.expiresAt ? undefined : 'dimmed'}>
                          {secret.expiresAt
                            ? `${formatShortDateTime(secret.expiresAt)} (${formatRelative(secret.expiresAt, now)})`
                            : 'No expiry'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={state.color}>
                          {state.label}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      <RotateSecretModal opened={rotating} onClose={() => setRotating(false)} />
    </SectionCard>
  );
}

function HeartbeatsSection() {
  const now = useNow(10_000);
  const heartbeats = trpc.admin.integrations.heartbeats.useQuery(undefined, {
    refetchInterval: INGEST_REFRESH_MS,
  });
  const rows = heartbeats.data ?? [];
  const stale = rows.filter(
    (row) =>
      isTradingNow(row.status) &&
      (!row.lastHeartbeatAt || now - new Date(row.lastHeartbeatAt).getTime() > HEARTBEAT_STALE_MS),
  ).length;
  return (
    <SectionCard
      icon={IconHeartbeat}
      title="Heartbeats"
      description="The model’s last report per trading pool; older than 2 minutes is stale for a pool that is trading."
      aside={
        heartbeats.data && rows.length > 0 ? (
          <Badge variant="light" color={stale > 0 ? 'orange' : 'teal'}>
            {stale > 0 ? `${stale} stale` : 'All fresh'}
          </Badge>
        ) : null
      }
      data-testid="heartbeats-section"
    >
      {heartbeats.isError && !heartbeats.data ? (
        <QueryErrorAlert
          title="Could not load heartbeats"
          error={heartbeats.error}
          onRetry={() => heartbeats.refetch()}
          retrying={heartbeats.isFetching}
        />
      ) : !heartbeats.data ? (
        <Skeleton h={96} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No pool is trading, so the model has nothing to report.
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="heartbeats-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Pool</Table.Th>
              <Table.Th ta="right">Last heartbeat</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.poolId}>
                <Table.Td>
                  <Anchor component={Link} to={`/pools/${row.poolId}`} size="sm" fw={600} lineClamp={1}>
                    {row.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {STATUS_META[row.status].label}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <HeartbeatAge at={row.lastHeartbeatAt} now={now} status={row.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}

type OutcomeFilter = DeliveryOutcome | 'ALL';

function DeliveriesSection() {
  const [outcome, setOutcome] = useState<OutcomeFilter>('ALL');
  /** `before` cursors of the pages loaded; the first page (null) is the newest and refreshes on its own. */
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const pools = trpc.pools.list.useQuery({});
  const poolNames = new Map((pools.data?.items ?? []).map((pool) => [pool.id, pool.name]));
  const pages = trpc.useQueries((t) =>
    cursors.map((before) =>
      t.admin.integrations.deliveries(
        {
          limit: DELIVERY_PAGE,
          ...(outcome === 'ALL' ? {} : { outcome }),
          ...(before ? { before } : {}),
        },
        // Only while one page is shown: refreshing the newest page under older ones would open a gap between them.
        { refetchInterval: cursors.length === 1 ? INGEST_REFRESH_MS : false },
      ),
    ),
  );
  const first = pages[0];
  const seen = new Set<string>();
  const rows: Delivery[] = [];
  for (const page of pages) {
    for (const row of page.data ?? []) {
      if (!seen.has(row.id)) {
        seen.add(row.id);
        rows.push(row);
      }
    }
  }
  const lastPage = pages.at(-1);
  const more = lastPage?.data?.length === DELIVERY_PAGE;
  const loadingMore = lastPage?.isPending && cursors.length > 1;

  return (
    <SectionCard
      icon={IconInbox}
      title="Recent deliveries"
      description="Every webhook request, accepted or not: refusals store nothing but this row."
      aside={
        <Tooltip label="Show the newest deliveries">
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label="Refresh deliveries"
            loading={first?.isFetching}
            onClick={() => {
              setCursors([null]);
              void first?.refetch();
            }}
          >
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      }
      data-testid="deliveries-section"
    >
      <SegmentedControl
        mb="md"
        size="xs"
        aria-label="Outcome"
        value={outcome}
        onChange={(value) => {
          setOutcome(value as OutcomeFilter);
          setCursors([null]);
        }}
        data={[
          { value: 'ALL', label: 'All' },
          ...(Object.keys(OUTCOME_META) as DeliveryOutcome[]).map((value) => ({
            value,
            label: OUTCOME_META[value].label,
          })),
        ]}
      />
      <ListState
        query={first ?? { error: null, isFetching: false, refetch: () => undefined }}
        items={first?.data ? rows : undefined}
        keepItemsOnError
        bare
        errorTitle="Could not load deliveries"
        empty={{
          icon: IconPlugConnected,
          py: 32,
          title:
            outcome === 'ALL'
              ? 'No deliveries yet'
              : `No ${OUTCOME_META[outcome].label.toLowerCase()} deliveries`,
          description: 'Deliveries appear here as soon as the trading model posts to the webhook.',
          'data-testid': 'deliveries-empty',
        }}
        loading={<Skeleton h={160} />}
        table={{
          minWidth: 880,
          columns: 8,
          props: {
            verticalSpacing: 6,
            horizontalSpacing: undefined,
            highlightOnHover: true,
            layout: 'fixed',
            'data-testid': 'deliveries-table',
          },
          head: (
            <>
              <Table.Th w={130}>Received</Table.Th>
              <Table.Th w={105}>Outcome</Table.Th>
              <Table.Th w={55}>HTTP</Table.Th>
              <Table.Th w={125}>Event</Table.Th>
              <Table.Th w={140}>Pool</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th w={150}>Source</Table.Th>
              <Table.Th w={70} ta="right">
                Size
              </Table.Th>
            </>
          ),
        }}
        pager={{
          hasMore: Boolean(more || loadingMore),
          loadingMore: Boolean(loadingMore),
          onLoadMore: () => {
            const oldest = rows.at(-1);
            if (oldest) {
              setCursors((list) => [...list, oldest.receivedAt]);
            }
          },
          label: 'Load older',
          variant: 'subtle',
          size: 'xs',
          summary: (
            <Text size="xs" c="dimmed">
              {formatCount(rows.length, 'delivery', 'deliveries')}
              {cursors.length === 1 ? ' · refreshes every 15 s' : ''}
            </Text>
          ),
        }}
      >
        {(items) =>
          items.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                <Tooltip label={formatDateTime(row.receivedAt)} openDelay={300}>
                  <Text size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                    {dayjs(row.receivedAt).format('D MMM HH:mm:ss')}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <OutcomeBadge outcome={row.outcome} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c={row.httpStatus >= 400 ? 'red' : undefined}>
                  {row.httpStatus}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" truncate>
                  {row.eventType ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {row.poolId ? (
                  <Anchor component={Link} to={`/pools/${row.poolId}`} size="sm" truncate display="block">
                    {poolNames.get(row.poolId) ?? row.poolId}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {row.reason ? (
                  <Tooltip label={row.reason} multiline w={320} openDelay={300}>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {row.reason}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" truncate title={row.webhookId ?? undefined}>
                  {row.webhookId ?? 'no webhook-id'}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" truncate>
                  {formatIp(row.ip)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {row.bodyBytes.toLocaleString('en-US')} B
                </Text>
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListState>
    </SectionCard>
  );
}

/** ADMIN: the trading model's side of Tradepool: webhook URL and secrets, ingest, heartbeats, deliveries. */
export function AdminIntegrationsPage() {
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The trading model webhook: its address and signing secrets, what arrives, and what was refused."
      />
      <Stack gap="lg">
        <Grid gap="lg" align="stretch">
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <WebhookSection />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Stack gap="lg" h="100%">
              <SectionCard
                icon={IconActivity}
                title="Ingest"
                description="Deliveries per minute over the last hour."
                data-testid="ingest-section"
              >
                <IngestStats chartHeight={110} />
              </SectionCard>
              <Box style={{ flex: 1 }}>
                <HeartbeatsSection />
              </Box>
            </Stack>
          </Grid.Col>
        </Grid>
        <ModelApiKeysSection />
        <DeliveriesSection />
      </Stack>
    </>
  );
}
