import { Group, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The heading of an admin overview panel: its icon and title on the left, an optional link or badge on the right. */
export function PanelTitle({
  icon: PanelIcon,
  children,
  aside,
}: {
  icon: Icon;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <Group justify="space-between" gap="sm" mb="md" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md">
          <PanelIcon size={20} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} size="h4">
          {children}
        </Title>
      </Group>
      {aside}
    </Group>
  );
}
