import { Card, Group, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** A card around one list (a history, a queue): its icon and title on top, the list flush with the card's edges. */
export function ListCard({
  icon: CardIcon,
  title,
  children,
}: {
  icon: Icon;
  title: string;
  children: ReactNode;
}) {
  return (
    <Card p={0}>
      <Group gap="sm" p="md" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md" color="gray">
          <CardIcon size={20} stroke={1.6} />
        </ThemeIcon>
        <Title order={2} size="h4">
          {title}
        </Title>
      </Group>
      {children}
    </Card>
  );
}
