import { ActionIcon, Menu } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * The "…" button at the end of an admin table's row and its menu of what can be done to the row: the menu is headed
 * by `name` (a pool's name, a user's email), which also labels the button for screen readers.
 */
export function RowActionsMenu({
  name,
  width,
  children,
}: {
  name: string;
  width: number;
  children: ReactNode;
}) {
  return (
    <Menu position="bottom-end" width={width} shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${name}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{name}</Menu.Label>
        {children}
      </Menu.Dropdown>
    </Menu>
  );
}
