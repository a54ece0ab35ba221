import { Button, Code, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconRefresh, IconReload } from '@tabler/icons-react';

interface ErrorPanelProps {
  error: unknown;
  /** Re-render what failed without a page load; omitted where there is nothing to reset. */
  onTryAgain?: () => void;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.stack ?? `${error.name}: ${error.message}`;
  }
  return String(error);
}

/**
 * What a person sees when rendering failed. Details are for developers only: production builds never show a
 * message or stack, which could leak internals and means nothing to an investor.
 */
export function ErrorPanel({ error, onTryAgain }: ErrorPanelProps) {
  return (
    <Paper withBorder p="xl" maw={560} mx="auto" my="xl" role="alert">
      <Stack align="center" gap="md" ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" color="red">
          <IconAlertTriangle size={30} />
        </ThemeIcon>
        <Title order={2} size="h3">
          Something went wrong
        </Title>
        <Text c="dimmed">
          This part of Tradepool hit an unexpected problem. Your account and money are not affected. Try
          again, or reload the page if it keeps happening.
        </Text>
        <Group justify="center">
          {onTryAgain ? (
            <Button leftSection={<IconRefresh size={16} />} onClick={onTryAgain}>
              Try again
            </Button>
          ) : null}
          <Button
            variant="default"
            leftSection={<IconReload size={16} />}
            onClick={() => {
              window.location.reload();
            }}
          >
            Reload
          </Button>
        </Group>
        {import.meta.env.DEV ? (
          <Code block w="100%" ta="left" fz="xs" mah={240} style={{ overflow: 'auto' }}>
            {describe(error)}
          </Code>
        ) : null}
      </Stack>
    </Paper>
  );
}
