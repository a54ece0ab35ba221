import { Badge, Box, Tooltip } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useSystemInfo } from '../hooks/use-system-info';
import { isNetworkError } from '../lib/errors';

interface ApiStatusBadgeProps {
  testId?: string;
}

/** Connection state of the API as a compact badge; the tooltip carries the details. */
export function ApiStatusBadge({ testId = 'api-status' }: ApiStatusBadgeProps) {
  const info = useSystemInfo();

  if (info.isPending) {
    return (
      <Badge
        variant="dot"
        color="gray"
        size="lg"
        tt="none"
        fw={600}
        data-testid={testId}
        data-state="connecting"
      >
        Connecting…
      </Badge>
    );
  }

  if (info.isError) {
    const label = isNetworkError(info.error) ? 'API unreachable' : 'API error';
    return (
      <Tooltip label="The app will keep trying to reconnect in the background.">
        <Badge
          variant="dot"
          color="red"
          size="lg"
          tt="none"
          fw={600}
          data-testid={testId}
          data-state="unreachable"
          tabIndex={0}
        >
          {label}
        </Badge>
      </Tooltip>
    );
  }

  const { version, environment } = info.data;
  return (
    <Tooltip label={`Server v${version} · ${environment}`}>
      <Badge
        variant="dot"
        color="teal"
        size="lg"
        tt="none"
        fw={600}
        data-testid={testId}
        data-state="connected"
        tabIndex={0}
      >
        API connected
      </Badge>
    </Tooltip>
  );
}

/**
 * Shown whenever payments are simulated: the contract requires demo mode to be clearly labelled, so nobody mistakes
 * instant demo deposits for real money.
 */
export function DemoPaymentsBadge() {
  const info = useSystemInfo();
  if (info.data?.paymentProvider !== 'demo') {
    return null;
  }
  return (
    <Tooltip
      multiline
      w={260}
      label="Payments are simulated: deposits and subscriptions complete instantly and no real money moves."
    >
      <Badge
        color="yellow"
        variant="light"
        size="lg"
        tt="none"
        fw={600}
        leftSection={<IconFlask size={14} />}
        data-testid="demo-payments-badge"
        tabIndex={0}
        style={{ flexShrink: 0, overflow: 'visible' }}
      >
        <Box component="span" visibleFrom="xs">
          Demo payments
        </Box>
        <Box component="span" hiddenFrom="xs">
          Demo
        </Box>
      </Badge>
    </Tooltip>
  );
}
