import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { errorMessage } from '../lib/errors';

interface QueryErrorAlertProps {
  error: unknown;
  title?: string;
  onRetry: () => unknown;
  retrying?: boolean;
}

/** The standard error state for anything loaded with a query: what went wrong, in words, and a way to ask again. */
export function QueryErrorAlert({
  error,
  title = 'Could not load this',
  onRetry,
  retrying = false,
}: QueryErrorAlertProps) {
  return (
    <Alert color="red" title={title} icon={<IconAlertTriangle size={20} />} role="alert">
      <Group justify="space-between" align="center" gap="sm" wrap="wrap">
        <Text size="sm">{errorMessage(error)}</Text>
        <Button
          size="xs"
          variant="white"
          color="red"
          leftSection={<IconRefresh size={14} />}
          loading={retrying}
          onClick={() => {
            onRetry();
          }}
        >
          Retry
        </Button>
      </Group>
    </Alert>
  );
}

/** The error, retry action and busy state a {@link QueryErrorAlert} shows for one query. */
export function queryErrorProps(query: { error: unknown; refetch: () => unknown; isFetching: boolean }) {
  return { error: query.error, onRetry: () => query.refetch(), retrying: query.isFetching };
}
