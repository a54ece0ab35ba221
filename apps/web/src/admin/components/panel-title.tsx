import { Group } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { CardHeading } from '../../components/section-card';

/** The heading of an admin overview panel: its icon and title on the left, an optional link or badge on the right. */
export function PanelTitle({
  icon,
  children,
  aside,
}: {
  icon: Icon;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <Group justify="space-between" gap="sm" mb="md" wrap="nowrap">
      <CardHeading icon={icon}>{children}</CardHeading>
      {aside}
    </Group>
  );
}
