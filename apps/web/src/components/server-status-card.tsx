import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconServer } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useSystemInfo } from '../hooks/use-system-info';
import { formatDateTime } from '../lib/format';
import { LabeledValue } from './labeled-value';
import { QueryErrorAlert } from './query-error-alert';
import { CardHeading } from './section-card';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <LabeledValue label={label}>
      <Text component="div" size="sm" fw={500}>
        {children}
      </Text>
    </LabeledValue>
  );
}

export function PaymentProviderBadge({
  provider,
  size = 'md',
}: {
  provider: 'demo' | 'stripe';
  size?: 'md' | 'lg';
}) {
  return provider === 'demo' ? (
    <Badge color="yellow" variant="light" size={size} tt="none">
      Demo (simulated)
    </Badge>
  ) : (
    <Badge color="violet" variant="light" size={size} tt="none">
      Stripe
    </Badge>
  );
}

interface ServerStatusCardProps {
  /** Narrow layouts (a sidebar column) stack the fields in one column. */
  columns?: 1 | 2;
}

/** The live answer of `system.info`: proof the app is talking to its server, and in which mode. */
export function ServerStatusCard({ columns = 2 }: ServerStatusCardProps) {
  const info = useSystemInfo();

  return (
    <Card data-testid="server-status-card">
      <Group justify="space-between" mb="md" wrap="nowrap">
        <CardHeading icon={IconServer}>Server status</CardHeading>
        {info.isSuccess ? (
          <Badge variant="dot" color="teal" tt="none">
            Connected
          </Badge>
        ) : null}
      </Group>

      {info.isPending ? (
        <SimpleGrid cols={columns} spacing="md" aria-busy="true" aria-label="Loading server status">
          {['version', 'environment', 'payments', 'time'].map((key) => (
            <Stack gap={6} key={key}>
              <Skeleton h={10} w="40%" />
              <Skeleton h={16} w="75%" />
            </Stack>
          ))}
        </SimpleGrid>
      ) : info.isError ? (
        <QueryErrorAlert
          title="Server unreachable"
          error={info.error}
          onRetry={() => info.refetch()}
          retrying={info.isFetching}
        />
      ) : (
        <SimpleGrid cols={columns} spacing="md">
          <Field label="Version">v{info.data.version}</Field>
          <Field label="Environment">
            <Text span tt="capitalize" size="sm" fw={500}>
              {info.data.environment}
            </Text>
          </Field>
          <Field label="Payments">
            <PaymentProviderBadge provider={info.data.paymentProvider} />
          </Field>
          <Field label="Server time">{formatDateTime(info.data.serverTime)}</Field>
        </SimpleGrid>
      )}
    </Card>
  );
}
