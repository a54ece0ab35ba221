import {
  Badge,
  Button,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconDeviceDesktop,
  IconDeviceMobile,
  IconDevices,
  IconDeviceTablet,
  IconHelpHexagon,
  IconLogout,
} from '@tabler/icons-react';
import type { RouterOutputs } from '@tradepool/api';
import { useState } from 'react';
import { confirmAction } from '../../components/modal-actions';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { SectionCard } from '../../components/section-card';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatIp, formatRelative, formatShortDateTime } from '../../lib/format';
import { trpc } from '../../lib/trpc';
import { type DeviceDescription, describeUserAgent } from '../../lib/user-agent';

type Session = RouterOutputs['account']['sessions'][number];

const DEVICE_ICON: Record<DeviceDescription['kind'], typeof IconDeviceDesktop> = {
  desktop: IconDeviceDesktop,
  mobile: IconDeviceMobile,
  tablet: IconDeviceTablet,
  unknown: IconHelpHexagon,
};

function Device({ session }: { session: Session }) {
  const device = describeUserAgent(session.userAgent);
  const DeviceIcon = DEVICE_ICON[device.kind];
  return (
    <Group gap="sm" wrap="nowrap">
      <ThemeIcon variant="light" color={session.current ? 'ocean' : 'gray'} radius="md" size="md">
        <DeviceIcon size={16} stroke={1.7} />
      </ThemeIcon>
      <Stack gap={2}>
        <Group gap={6} wrap="nowrap">
          <Tooltip label={session.userAgent ?? 'No user agent recorded'} multiline maw={360} openDelay={400}>
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {device.label}
            </Text>
          </Tooltip>
          {session.current ? (
            <Badge
              size="xs"
              variant="light"
              color="teal"
              data-testid="this-device"
              style={{ flexShrink: 0, overflow: 'visible' }}
            >
              This device
            </Badge>
          ) : null}
        </Group>
      </Stack>
    </Group>
  );
}

function When({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)} openDelay={300}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={iso}>{formatRelative(iso)}</time>
      </Text>
    </Tooltip>
  );
}

export function SessionsSection() {
  const sessions = trpc.account.sessions.useQuery();
  const utils = trpc.useUtils();
  const revoke = trpc.account.revokeSession.useMutation();
  const [revokingOthers, setRevokingOthers] = useState(false);

  const confirmRevoke = (session: Session) => {
    const device = describeUserAgent(session.userAgent).label;
    confirmAction({
      title: 'Sign out this session?',
      body: (
        <>
          <b>{device}</b>
          {session.ip ? ` (${formatIp(session.ip)})` : ''}, last active {formatRelative(session.lastUsedAt)},
          is signed out at once. Anyone using it has to sign in again.
        </>
      ),
      confirmLabel: 'Sign out session',
      cancelLabel: 'Cancel',
      danger: true,
      onConfirm: () => {
        revoke.mutate(
          { sessionId: session.id },
          {
            onSuccess: () => {
              notifications.show({ color: 'teal', title: 'Session signed out', message: device });
            },
            onError: (error) => {
              notifications.show({
                color: 'red',
                title: 'Could not sign it out',
                message: errorMessage(error),
              });
            },
            onSettled: () => void utils.account.sessions.invalidate(),
          },
        );
      },
    });
  };

  const others = sessions.data?.filter((session) => !session.current) ?? [];

  const confirmRevokeOthers = () => {
    confirmAction({
      title: 'Sign out all other sessions?',
      body: (
        <>
          {others.length === 1 ? 'One other session' : `${others.length} other sessions`} will be signed out
          at once. You stay signed in on this device.
        </>
      ),
      confirmLabel: 'Sign out others',
      cancelLabel: 'Cancel',
      danger: true,
      onConfirm: () => {
        setRevokingOthers(true);
        void (async () => {
          const results = await Promise.allSettled(
            others.map((session) => revoke.mutateAsync({ sessionId: session.id })),
          );
          setRevokingOthers(false);
          await utils.account.sessions.invalidate();
          const failed = results.filter((result) => result.status === 'rejected').length;
          notifications.show(
            failed === 0
              ? {
                  color: 'teal',
                  title: 'Other sessions signed out',
                  message: 'Only this device is signed in now.',
                }
              : {
                  color: 'red',
                  title: 'Some sessions are still signed in',
                  message: 'Try again in a moment.',
                },
          );
        })();
      },
    });
  };

  let body: React.ReactNode;
  if (sessions.isPending) {
    body = (
      <Stack gap="sm" aria-busy="true" aria-label="Loading sessions">
        {[0, 1].map((row) => (
          <Skeleton key={row} h={40} />
        ))}
      </Stack>
    );
  } else if (sessions.isError) {
    body = (
      <QueryErrorAlert
        title="Could not load your sessions"
        error={sessions.error}
        onRetry={() => sessions.refetch()}
        retrying={sessions.isFetching}
      />
    );
  } else if (sessions.data.length === 0) {
    body = (
      <Text size="sm" c="dimmed">
        No active sessions.
      </Text>
    );
  } else {
    const signOutButton = (session: Session) => (
      <Button
        size="xs"
        variant="subtle"
        color="red"
        leftSection={<IconLogout size={14} />}
        onClick={() => confirmRevoke(session)}
        loading={revoke.isPending && revoke.variables?.sessionId === session.id}
        aria-label={`Sign out ${describeUserAgent(session.userAgent).label}, ${formatIp(session.ip)}`}
      >
        Sign out
      </Button>
    );
    body = (
      <>
        {/* Phones: one block per session instead of a table to scroll sideways. */}
        <Stack hiddenFrom="sm" gap={0} data-testid="sessions-list">
          {sessions.data.map((session, index) => (
            <Group
              key={session.id}
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              py="sm"
              style={index > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
            >
              <Stack gap={6} style={{ minWidth: 0 }}>
                <Device session={session} />
                <Text size="xs" c="dimmed">
                  {formatIp(session.ip)} · active {formatRelative(session.lastUsedAt)}
                  <br />
                  Signed in {formatShortDateTime(session.startedAt)}
                </Text>
              </Stack>
              {session.current ? null : signOutButton(session)}
            </Group>
          ))}
        </Stack>
        <Table.ScrollContainer minWidth={640} visibleFrom="sm">
          <Table verticalSpacing="sm" highlightOnHover data-testid="sessions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((session) => (
                <Table.Tr key={session.id} data-current={session.current || undefined}>
                  <Table.Td>
                    <Device session={session} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {formatIp(session.ip)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatShortDateTime(session.startedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <When iso={session.lastUsedAt} />
                  </Table.Td>
                  <Table.Td ta="right">{session.current ? null : signOutButton(session)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </>
    );
  }

  return (
    <SectionCard
      icon={IconDevices}
      title="Where you're signed in"
      description="Every browser or app with a session on your account. Sign out any you do not recognise."
      aside={
        others.length > 0 ? (
          <Button
            variant="default"
            size="xs"
            onClick={confirmRevokeOthers}
            loading={revokingOthers}
            style={{ flexShrink: 0 }}
          >
            Sign out all others
          </Button>
        ) : null
      }
      data-testid="sessions-section"
    >
      {body}
    </SectionCard>
  );
}
