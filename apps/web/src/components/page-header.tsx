import { Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  /** For the browser tab, when the visible title is a sentence rather than the page's name. */
  documentTitle?: string;
  description?: ReactNode;
  /** Small line above the title, for the area the page belongs to. */
  eyebrow?: string;
  actions?: ReactNode;
}

/** Every page's heading; also sets the browser tab title so history and tabs stay readable. */
export function PageHeader({ title, documentTitle, description, eyebrow, actions }: PageHeaderProps) {
  useDocumentTitle(`${documentTitle ?? title} · Tradepool`);
  return (
    <Group justify="space-between" align="flex-end" gap="md" mb="xl" wrap="wrap">
      <Stack gap={6} maw={720}>
        {eyebrow ? (
          <Text size="xs" fw={700} tt="uppercase" lts={0.8} c="ocean">
            {eyebrow}
          </Text>
        ) : null}
        <Title order={1} fz={{ base: 26, sm: 32 }} lh={1.2}>
          {title}
        </Title>
        {description ? (
          <Text c="dimmed" fz={{ base: 'md', sm: 'lg' }} lh={1.5}>
            {description}
          </Text>
        ) : null}
      </Stack>
      {actions}
    </Group>
  );
}
