import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconKey, IconPlus, IconRobot } from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { ListState } from '../../components/list-state';
import { confirmAction } from '../../components/modal-actions';
import { RevealOnceModal } from '../../components/reveal-once-modal';
import { SectionCard } from '../../components/section-card';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { CopyField } from './copy-field';

type ModelKey = RouterOutputs['admin']['integrations']['modelKeys']['items'][number];

/** Name → create → the key, once, with a copy button; closing the dialog forgets it for good. */
function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [created, setCreated] = useState<string | null>(null);
  const create = trpc.admin.integrations.createModelKey.useMutation();
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (name) => (name.trim().length === 0 ? 'Give the key a name' : null) },
  });
  const close = () => {
    setCreated(null);
    form.reset();
    onClose();
  };
  return (
    <RevealOnceModal
      opened={opened}
      onClose={close}
      revealed={created}
      titles={{ ask: 'New model API key', reveal: 'Copy the key now' }}
      centered
      reveal={(key) => (
        <Stack gap="md">
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="model-key-once">
            This is the only time the key is shown: Tradepool keeps only a hash of it. Copy it into the
            trading model's configuration now; if it is lost, create another and revoke this one.
          </Alert>
          <CopyField
            label="Model API key"
            value={key}
            testId="model-key-value"
            copyLabel="Copy model API key"
          />
          <Text size="xs" c="dimmed">
            The model sends it as <Code>Authorization: Bearer …</Code> to <Code>GET /api/v1/model/pools</Code>
            .
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    >
      <form
        onSubmit={form.onSubmit(({ name }) =>
          create.mutate(
            { name: name.trim() },
            {
              onSuccess: (result) => {
                setCreated(result.key);
                void utils.admin.integrations.modelKeys.invalidate();
              },
              onError: (error) => form.setFieldError('name', errorMessage(error)),
            },
          ),
        )}
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            description="Who or what uses it, e.g. “Quant desk production”."
            maxLength={100}
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={form.values.name.trim().length === 0}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </RevealOnceModal>
  );
}

function KeyStatus({ apiKey }: { apiKey: ModelKey }) {
  return apiKey.revokedAt ? (
    <Tooltip label={`Revoked ${formatDateTime(apiKey.revokedAt)}`}>
      <Badge color="gray" variant="light" tabIndex={0}>
        Revoked
      </Badge>
    </Tooltip>
  ) : (
    <Badge color="teal" variant="light">
      Active
    </Badge>
  );
}

/** ADMIN: keys the trading model uses to read its pools and their capital (CONTRACT §7). */
export function ModelApiKeysSection() {
  const utils = trpc.useUtils();
  const keys = trpc.admin.integrations.modelKeys.useQuery(undefined, { refetchInterval: 60_000 });
  const revoke = trpc.admin.integrations.revokeModelKey.useMutation();
  const [creating, setCreating] = useState(false);

  const confirmRevoke = (apiKey: ModelKey) =>
    confirmAction({
      title: `Revoke “${apiKey.name}”?`,
      body: (
        <>
          A model using <Code>{apiKey.prefix}</Code> is refused from its next request on. This cannot be
          undone.
        </>
      ),
      confirmLabel: 'Revoke key',
      cancelLabel: 'Keep it',
      danger: true,
      onConfirm: () =>
        revoke.mutate(
          { id: apiKey.id },
          {
            onSuccess: () => {
              notifications.show({ color: 'teal', title: 'Key revoked', message: apiKey.name });
              void utils.admin.integrations.modelKeys.invalidate();
            },
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Could not revoke', message: errorMessage(error) }),
          },
        ),
    });

  return (
    <SectionCard
      icon={IconRobot}
      title="Model API keys"
      description={
        <>
          The trading model reads the pools it trades, with their capital, from{' '}
          <Code>GET /api/v1/model/pools</Code>. Keys are shown once and stored hashed;{' '}
          <Code>MODEL_API_KEY</Code> in the environment works too.
        </>
      }
      aside={
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          Create key
        </Button>
      }
      data-testid="model-keys-section"
    >
      <ListState
        query={keys}
        items={keys.data?.items}
        keepItemsOnError
        bare
        errorTitle="Could not load the model API keys"
        empty={{
          icon: IconKey,
          title: 'No model API keys',
          description: 'Create one for the trading model team.',
          'data-testid': 'model-keys-empty',
        }}
        loading={
          <Stack gap="xs">
            <Skeleton h={32} />
            <Skeleton h={32} />
          </Stack>
        }
        table={{
          minWidth: 560,
          columns: 6,
          props: { verticalSpacing: 'xs', horizontalSpacing: undefined, 'data-testid': 'model-keys-table' },
          head: (
            <>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </>
          ),
        }}
      >
        {(items) =>
          items.map((apiKey) => (
            <Table.Tr key={apiKey.id} data-testid="model-key-row" data-key-id={apiKey.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {apiKey.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Code>{apiKey.prefix}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(apiKey.createdAt)}</Text>
              </Table.Td>
              <Table.Td data-testid="model-key-last-used">
                {apiKey.lastUsedAt ? (
                  <Tooltip label={formatDateTime(apiKey.lastUsedAt)}>
                    <Text size="sm" tabIndex={0}>
                      {formatRelative(apiKey.lastUsedAt)}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="sm" c="dimmed">
                    Never
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <KeyStatus apiKey={apiKey} />
              </Table.Td>
              <Table.Td ta="right">
                {apiKey.revokedAt ? null : (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => confirmRevoke(apiKey)}
                    aria-label={`Revoke ${apiKey.name}`}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListState>
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} />
    </SectionCard>
  );
}
