import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, IconMapSearch } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  useDocumentTitle('Page not found · Tradepool');

  return (
    <Paper withBorder p="xl" maw={520} mx="auto" my="xl" data-testid="not-found">
      <Stack align="center" gap="md" ta="center">
        <ThemeIcon size={64} radius="xl" variant="light">
          <IconMapSearch size={34} stroke={1.5} />
        </ThemeIcon>
        <Text fw={700} c="dimmed" size="sm" lts={1}>
          ERROR 404
        </Text>
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed">
          There is no page at{' '}
          <Text
            span
            ff="monospace"
            size="sm"
            c="var(--mantine-color-text)"
            style={{ wordBreak: 'break-all' }}
          >
            {pathname}
          </Text>
          . It may have moved, or the link may be mistyped.
        </Text>
        <Button component={Link} to="/" leftSection={<IconArrowLeft size={16} />}>
          Back to overview
        </Button>
      </Stack>
    </Paper>
  );
}
