import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import { useAuth } from '../auth/auth-provider';
import { sessionStore } from '../auth/session-store';
import { errorMessage } from '../lib/errors';
import { CenteredLoader } from './centered-loader';

/**
 * What a layout shows until the session is known: a loader while the refresh cookie is exchanged (so a signed-in
 * person never sees the sign-in page flash by), or a way to try again when the server could not be reached.
 * Renders nothing once the session is settled.
 */
export function SessionPending({ children }: { children: React.ReactNode }) {
  const { state } = useAuth();

  if (state.status === 'restoring') {
    return <CenteredLoader label="Restoring your session…" />;
  }
  if (state.status === 'unreachable') {
    return (
      <Paper withBorder p="xl" maw={480} mx="auto" my="xl" role="alert">
        <Stack align="center" gap="md" ta="center">
          <ThemeIcon size={56} radius="xl" variant="light" color="red">
            <IconPlugConnectedX size={28} stroke={1.6} />
          </ThemeIcon>
          <Title order={2} size="h3">
            Cannot reach Tradepool
          </Title>
          <Text c="dimmed">{errorMessage(state.error)}</Text>
          <Button leftSection={<IconRefresh size={16} />} onClick={() => sessionStore.retryRestore()}>
            Try again
          </Button>
        </Stack>
      </Paper>
    );
  }
  return children;
}
