import { Card } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { CardHeading } from '../section-card';

/** A card around one list (a history, a queue): its icon and title on top, the list flush with the card's edges. */
export function ListCard({ icon, title, children }: { icon: Icon; title: string; children: ReactNode }) {
  return (
    <Card p={0}>
      <CardHeading icon={icon} color="gray" p="md">
        {title}
      </CardHeading>
      {children}
    </Card>
  );
}
