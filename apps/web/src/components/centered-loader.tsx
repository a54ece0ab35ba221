import { Center, Loader, Stack, Text } from '@mantine/core';

interface CenteredLoaderProps {
  label?: string;
  /** Fill the viewport (first load, before the shell exists) instead of the content area. */
  fullScreen?: boolean;
}

export function CenteredLoader({ label = 'Loading…', fullScreen = false }: CenteredLoaderProps) {
  return (
    <Center mih={fullScreen ? '100dvh' : 240} role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="md" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}
