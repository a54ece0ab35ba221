import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** A full-page "you cannot be here" card (404, 403): code, title, explanation and a way back to the overview. */
export function StatusPage({
  testId,
  documentTitle,
  icon,
  color,
  code,
  title,
  children,
}: {
  testId: string;
  documentTitle: string;
  icon: ReactNode;
  color?: string;
  code: number;
  title: string;
  children: ReactNode;
}) {
  useDocumentTitle(`${documentTitle} · Tradepool`);

  return (
    <Paper withBorder p="xl" maw={520} mx="auto" my="xl" data-testid={testId}>
      <Stack align="center" gap="md" ta="center">
        <ThemeIcon size={64} radius="xl" variant="light" color={color}>
          {icon}
        </ThemeIcon>
        <Text fw={700} c="dimmed" size="sm" lts={1}>
          ERROR {code}
        </Text>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Text c="dimmed">{children}</Text>
        <Button component={Link} to="/" leftSection={<IconArrowLeft size={16} />}>
          Back to overview
        </Button>
      </Stack>
    </Paper>
  );
}
