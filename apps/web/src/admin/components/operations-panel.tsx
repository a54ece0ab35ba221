import '@mantine/charts/styles.css';

import { Sparkline } from '@mantine/charts';
import { Anchor, Badge, Card, Group, Paper, SimpleGrid, Skeleton, Table, Text } from '@mantine/core';
import { IconActivity } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useEffect, useRef, useState } from 'react';
import { useAuth } from '../../auth/auth-provider';
import { Caption } from '../../components/labeled-value';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { trpc } from '../../lib/trpc';
import { PanelTitle } from './panel-title';

type Summary = RouterOutputs['admin']['operations']['metrics'];

/** Live operations numbers: refreshed this often, and this many samples kept for the small charts. */
export const OPERATIONS_REFRESH_MS = 5_000;
const HISTORY = 36;

interface Sample {
  at: number;
  requests: number;
  webhooks: number;
  events: number;
  sockets: number;
  streams: number;
  p95Ms: number | null;
  lagP99Ms: number | null;
  dbInUse: number;
}

function toSample(summary: Summary): Sample {
  return {
    at: Date.parse(summary.at),
    requests: summary.http.requests,
    webhooks: summary.webhooks.total,
    events: summary.dispatch.events,
    sockets: summary.realtime.sockets,
    streams: summary.realtime.streams,
    p95Ms: summary.http.p95Ms,
    lagP99Ms: summary.dispatch.lagP99Ms,
    dbInUse: summary.database.inUse,
  };
}

/** Per-second rates between consecutive samples of a counter (a restart of the process shows as 0, not negative). */
function rates(samples: Sample[], key: 'requests' | 'webhooks' | 'events'): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1];
    const b = samples[i];
    if (!a || !b) {
      continue;
    }
    const seconds = Math.max(1, (b.at - a.at) / 1000);
    out.push(Math.max(0, (b[key] - a[key]) / seconds));
  }
  return out;
}

function fmtMs(value: number | null): string {
  if (value === null) {
    return '—';
  }
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en-US')} ms`;
}

function fmtRate(values: number[]): string {
  const last = values.at(-1);
  return last === undefined ? '—' : `${last < 10 ? last.toFixed(1) : Math.round(last)}/s`;
}

function Stat({
  label,
  value,
  hint,
  series,
  color = 'ocean',
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  series?: number[];
  color?: string;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Caption>{label}</Caption>
      <Text fw={700} size="lg" ff="monospace">
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
      {series && series.length > 1 ? (
        <Sparkline
          h={32}
          mt={6}
          data={series}
          curveType="linear"
          color={color}
          fillOpacity={0.3}
          strokeWidth={1.5}
          aria-hidden
        />
      ) : null}
    </Paper>
  );
}

/**
 * The numbers behind GET /metrics for the process that answered (with several processes each keeps its own; the
 * Prometheus scrape sums them). Rates and the small charts are computed here from successive samples.
 */
export function OperationsPanel() {
  // Managers share the overview page; the operations numbers are for admins (the procedure says FORBIDDEN).
  const { user } = useAuth();
  if (user?.role !== 'ADMIN') {
    return null;
  }
  return <OperationsCard />;
}

function OperationsCard() {
  const query = trpc.admin.operations.metrics.useQuery(undefined, {
    refetchInterval: OPERATIONS_REFRESH_MS,
  });
  const [history, setHistory] = useState<Sample[]>([]);
  const lastAt = useRef<string | null>(null);
  useEffect(() => {
    const data = query.data;
    if (!data || data.at === lastAt.current) {
      return;
    }
    lastAt.current = data.at;
    setHistory((previous) => {
      const sample = toSample(data);
      // Another process answered (round-robin) or this one restarted: its counters are not comparable.
      const restart = previous.at(-1) && (previous.at(-1)?.requests ?? 0) > sample.requests;
      return [...(restart ? [] : previous), sample].slice(-HISTORY);
    });
  }, [query.data]);

  const header = (
    <PanelTitle
      icon={IconActivity}
      aside={
        <Anchor href="/metrics" target="_blank" rel="noopener" size="xs" ff="monospace">
          /metrics
        </Anchor>
      }
    >
      Operations
    </PanelTitle>
  );

  if (query.isError && !query.data) {
    return (
      <Card>
        {header}
        <QueryErrorAlert
          title="Could not load operations numbers"
          error={query.error}
          onRetry={() => query.refetch()}
          retrying={query.isFetching}
        />
      </Card>
    );
  }
  const data = query.data;
  if (!data) {
    return (
      <Card aria-busy="true">
        {header}
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          {['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((key) => (
            <Skeleton key={key} h={96} radius="md" />
          ))}
        </SimpleGrid>
      </Card>
    );
  }

  const requestRates = rates(history, 'requests');
  const webhookRates = rates(history, 'webhooks');
  const eventRates = rates(history, 'events');
  const outcomes = Object.entries(data.webhooks.byOutcome).filter(([, count]) => count > 0);
  const scheduled = Object.entries(data.scheduler.transitions)
    .map(([to, count]) => `${to.toLowerCase()} ${count}`)
    .join(' · ');

  return (
    <Card data-testid="operations-panel">
      {header}
      <Text size="xs" c="dimmed" mb="sm">
        Process {data.process.pid} on {data.process.host}, up{' '}
        {Math.round(data.process.uptimeSec / 60).toLocaleString('en-US')} min, refreshed every{' '}
        {OPERATIONS_REFRESH_MS / 1000} s.
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Stat
          label="HTTP requests"
          value={fmtRate(requestRates)}
          hint={`${data.http.requests.toLocaleString('en-US')} total, ${data.http.serverErrors} 5xx`}
          series={requestRates}
          testId="ops-http"
        />
        <Stat
          label="HTTP latency p95"
          value={fmtMs(data.http.p95Ms)}
          hint={`p50 ${fmtMs(data.http.p50Ms)}`}
          series={history.map((s) => s.p95Ms ?? 0)}
          color="grape"
        />
        <Stat
          label="Webhook deliveries"
          value={fmtRate(webhookRates)}
          hint={`${data.webhooks.total.toLocaleString('en-US')} total`}
          series={webhookRates}
          color="teal"
          testId="ops-webhooks"
        />
        <Stat
          label="Dispatch lag p99"
          value={fmtMs(data.dispatch.lagP99Ms)}
          hint={`${data.dispatch.events.toLocaleString('en-US')} events fanned out`}
          series={eventRates}
          color="orange"
        />
        <Stat
          label="Open sockets"
          value={String(data.realtime.sockets)}
          series={history.map((s) => s.sockets)}
          testId="ops-sockets"
        />
        <Stat
          label="Open SSE streams"
          value={String(data.realtime.streams)}
          series={history.map((s) => s.streams)}
        />
        <Stat
          label={`Database (${data.database.dialect})`}
          value={`${data.database.inUse} in use`}
          hint={`${data.database.idle} idle, ${data.database.waiting} waiting`}
          series={history.map((s) => s.dbInUse)}
          color={data.database.waiting > 0 ? 'red' : 'ocean'}
        />
        <Stat
          label="Scheduler"
          value={`${data.scheduler.runs} runs`}
          hint={`${data.scheduler.failedRuns} failed${scheduled ? ` · ${scheduled}` : ''}`}
          color={data.scheduler.failedRuns > 0 ? 'red' : 'ocean'}
        />
      </SimpleGrid>
      {outcomes.length > 0 ? (
        <Group gap="xs" mt="sm">
          {outcomes.map(([outcome, count]) => (
            <Badge
              key={outcome}
              variant="light"
              color={outcome === 'accepted' ? 'teal' : outcome === 'duplicate' ? 'gray' : 'red'}
              tt="none"
            >
              {outcome.replace('_', ' ')}: {count.toLocaleString('en-US')}
            </Badge>
          ))}
        </Group>
      ) : null}
      {data.http.routes.length > 0 ? (
        <Table.ScrollContainer minWidth={420} mt="md">
          <Table striped highlightOnHover verticalSpacing={4} fz="sm" aria-label="Busiest routes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Route</Table.Th>
                <Table.Th ta="right">Requests</Table.Th>
                <Table.Th ta="right">5xx</Table.Th>
                <Table.Th ta="right">p95</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.http.routes.map((route) => (
                <Table.Tr key={route.route}>
                  <Table.Td ff="monospace">{route.route}</Table.Td>
                  <Table.Td ta="right">{route.requests.toLocaleString('en-US')}</Table.Td>
                  <Table.Td ta="right" c={route.serverErrors > 0 ? 'red' : undefined}>
                    {route.serverErrors}
                  </Table.Td>
                  <Table.Td ta="right">{fmtMs(route.p95Ms)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}
