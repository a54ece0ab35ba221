import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useAuth } from '../auth/auth-provider';
import { ROLE_META } from '../auth/roles';

/** Shown in place of a page the signed-in person's role does not open (the server would refuse its data anyway). */
export function ForbiddenPage() {
  const { user } = useAuth();
  useDocumentTitle('No access · Tradepool');

  return (
    <Paper withBorder p="xl" maw={520} mx="auto" my="xl" data-testid="forbidden">
      <Stack align="center" gap="md" ta="center">
        <ThemeIcon size={64} radius="xl" variant="light" color="orange">
          <IconLock size={32} stroke={1.5} />
        </ThemeIcon>
        <Text fw={700} c="dimmed" size="sm" lts={1}>
          ERROR 403
        </Text>
        <Title order={1} size="h2">
          You don't have access to this page
        </Title>
        <Text c="dimmed">
          {user
            ? `You are signed in as ${user.email} (${ROLE_META[user.role].label.toLowerCase()}). This page is for other roles. If you think you should have access, ask an administrator.`
            : 'This page is for other roles.'}
        </Text>
        <Group justify="center">
          <Button component={Link} to="/" leftSection={<IconArrowLeft size={16} />}>
            Back to overview
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
