import { Badge, type BadgeProps, Box, type ElementProps, Tooltip } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import type { Ref } from 'react';
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
      <StateBadge testId={testId} color="gray" state="connecting">
        Connecting…
      </StateBadge>
    );
  }

  if (info.isError) {
    return (
      <Tooltip label="The app will keep trying to reconnect in the background.">
        <StateBadge testId={testId} color="red" state="unreachable" focusable>
          {isNetworkError(info.error) ? 'API unreachable' : 'API error'}
        </StateBadge>
      </Tooltip>
    );
  }

  const { version, environment } = info.data;
  return (
    <Tooltip label={`Server v${version} · ${environment}`}>
      <StateBadge testId={testId} color="teal" state="connected" focusable>
        API connected
      </StateBadge>
    </Tooltip>
  );
}

/** The badge in one of its states; focusable when a tooltip explains it, so keyboard users can read that too. */
function StateBadge({
  testId,
  state,
  focusable = false,
  ...others
}: BadgeProps &
  ElementProps<'div', keyof BadgeProps> & {
    ref?: Ref<HTMLDivElement>;
    testId: string;
    state: 'connecting' | 'unreachable' | 'connected';
    focusable?: boolean;
  }) {
  // The rest carries what a Tooltip around the badge attaches to it: its ref and pointer/focus handlers.
  return (
    <Badge
      variant="dot"
      size="lg"
      tt="none"
      fw={600}
      data-testid={testId}
      data-state={state}
      tabIndex={focusable ? 0 : undefined}
      {...others}
    />
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
