import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import {
  type Icon,
  IconApi,
  IconExternalLink,
  IconFileCode,
  IconHeartbeat,
  IconServer,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Caption } from '../../components/labeled-value';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { PaymentProviderBadge } from '../../components/server-status-card';
import { useSystemInfo } from '../../hooks/use-system-info';
import { formatDateTime } from '../../lib/format';
import { IngestOverviewCard } from '../components/ingest-overview';
import { OperationsPanel } from '../components/operations-panel';
import { PanelTitle } from '../components/panel-title';
import { MoneySummaryPanel } from '../money-summary-panel';
import classes from './admin-overview-page.module.css';

const ENVIRONMENT_COLOR = { development: 'blue', test: 'gray', production: 'teal' } as const;

function Tile({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" className={classes.tile}>
      <Caption mb={6}>{label}</Caption>
      {children}
    </Paper>
  );
}

function SystemPanel() {
  const info = useSystemInfo();

  if (info.isPending) {
    return (
      <SimpleGrid
        cols={{ base: 1, xs: 2, lg: 4 }}
        spacing="md"
        aria-busy="true"
        aria-label="Loading system information"
      >
        {['version', 'environment', 'payments', 'time'].map((key) => (
          <Skeleton key={key} h={76} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  if (info.isError) {
    return (
      <QueryErrorAlert
        title="Server unreachable"
        error={info.error}
        onRetry={() => info.refetch()}
        retrying={info.isFetching}
      />
    );
  }

  const { version, environment, paymentProvider, serverTime } = info.data;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md" data-testid="system-panel">
      <Tile label="Server version">
        <Text ff="monospace" fw={600}>{`v${version}`}</Text>
      </Tile>
      <Tile label="Environment">
        <Badge variant="light" color={ENVIRONMENT_COLOR[environment]} size="lg" tt="capitalize">
          {environment}
        </Badge>
      </Tile>
      <Tile label="Payment provider">
        <PaymentProviderBadge provider={paymentProvider} size="lg" />
      </Tile>
      <Tile label="Server time">
        <Text fw={600}>{formatDateTime(serverTime)}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {serverTime}
        </Text>
      </Tile>
    </SimpleGrid>
  );
}

interface ProbeResult {
  status: number;
  ok: boolean;
  ms: number;
}

async function probe(path: string): Promise<ProbeResult> {
  const started = performance.now();
  const response = await fetch(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  return { status: response.status, ok: response.ok, ms: Math.round(performance.now() - started) };
}

const PROBES: ReadonlyArray<{ path: string; label: string; help: string }> = [
  { path: '/healthz', label: 'Liveness', help: 'The process is up and answering.' },
  { path: '/readyz', label: 'Readiness', help: 'The database is reachable and the server takes traffic.' },
];

function ProbeRow({ path, label, help }: { path: string; label: string; help: string }) {
  // Probes answer with plain HTTP statuses (503 when not ready), so they are fetched directly rather than through tRPC.
  const result = useQuery({
    queryKey: ['probe', path],
    queryFn: () => probe(path),
    refetchInterval: 30_000,
    retry: false,
  });

  let badge: ReactNode;
  if (result.isPending) {
    badge = <Skeleton h={20} w={90} />;
  } else if (result.isError) {
    badge = (
      <Badge color="red" variant="light">
        Unreachable
      </Badge>
    );
  } else {
    badge = (
      <Badge
        color={result.data.ok ? 'teal' : 'red'}
        variant="light"
        tt="none"
        style={{ overflow: 'visible' }}
      >
        {result.data.ok ? 'OK' : 'Failing'} ({result.data.status})
      </Badge>
    );
  }

  return (
    <Group justify="space-between" wrap="nowrap" gap="md" align="flex-start">
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Anchor href={path} target="_blank" rel="noopener" size="xs" ff="monospace">
            {path}
          </Anchor>
        </Group>
        <Text size="xs" c="dimmed">
          {help}
        </Text>
      </Stack>
      <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
        {result.isSuccess ? (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {result.data.ms} ms
          </Text>
        ) : null}
        {badge}
      </Group>
    </Group>
  );
}

const REFERENCES: ReadonlyArray<{ href: string; label: string; description: string; icon: Icon }> = [
  {
    href: '/api/v1/docs',
    label: 'REST API docs',
    description: 'Interactive reference for /api/v1, generated from the same procedures the app uses.',
    icon: IconApi,
  },
  {
    href: '/api/v1/openapi.json',
    label: 'OpenAPI document',
    description: 'The machine-readable contract, for client generators and API tools.',
    icon: IconFileCode,
  },
];

/** Operator's landing page: which server this is, whether it is healthy, and where its API is documented. */
export function AdminOverviewPage() {
  return (
    <>
      <PageHeader
        title="Admin overview"
        description="The server this console is connected to, its health, and the API references."
      />
      <Stack gap="lg">
        <MoneySummaryPanel />
        <Card>
          <PanelTitle icon={IconServer}>System</PanelTitle>
          <SystemPanel />
        </Card>
        <IngestOverviewCard />
        <OperationsPanel />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Card>
            <PanelTitle icon={IconHeartbeat}>Health</PanelTitle>
            <Stack gap="md">
              {PROBES.map((item) => (
                <ProbeRow key={item.path} {...item} />
              ))}
            </Stack>
          </Card>
          <Card>
            <PanelTitle icon={IconApi}>API reference</PanelTitle>
            <Stack gap="md">
              {REFERENCES.map((ref) => (
                <Anchor
                  key={ref.href}
                  href={ref.href}
                  target="_blank"
                  rel="noopener"
                  underline="never"
                  c="inherit"
                >
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <ref.icon size={20} stroke={1.6} style={{ marginTop: 2, flexShrink: 0 }} />
                    <Stack gap={2}>
                      <Group gap={4} wrap="nowrap">
                        <Text size="sm" fw={600} c="ocean">
                          {ref.label}
                        </Text>
                        <IconExternalLink size={14} aria-label="opens in a new tab" />
                      </Group>
                      <Text size="xs" c="dimmed">
                        {ref.description}
                      </Text>
                    </Stack>
                  </Group>
                </Anchor>
              ))}
            </Stack>
          </Card>
        </SimpleGrid>
      </Stack>
    </>
  );
}
