import { Alert, Badge, Button, Code, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconKey, IconRotateClockwise, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { SectionCard } from '../../components/section-card';
import { useNow } from '../../hooks/use-now';
import { formatDateTime, formatRelative, formatShortDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { CopyField } from '../components/copy-field';
import { RotateSecretModal } from './integrations-rotate-secret-modal';

function secretState(secret: { active: boolean; expiresAt: string | null }, now: number) {
  if (!secret.active || (secret.expiresAt && new Date(secret.expiresAt).getTime() <= now)) {
    return { label: 'Expired', color: 'gray' };
  }
  if (secret.expiresAt) {
    return { label: 'Expiring', color: 'orange' };
  }
  return { label: 'Active', color: 'teal' };
}

/** The webhook's address, how deliveries are signed, and the signing secrets, with a way to rotate them. */
export function WebhookSection() {
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
