import { Box, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface SectionCardProps {
  icon: Icon;
  title: string;
  description?: ReactNode;
  /** Top right: a status badge or an action. */
  aside?: ReactNode;
  children: ReactNode;
  color?: string;
  'data-testid'?: string;
}

/** A titled card for one topic of a settings-style page; the title is an h2 so the page outline stays right. */
export function SectionCard({
  icon: SectionIcon,
  title,
  description,
  aside,
  children,
  color,
  'data-testid': testId,
}: SectionCardProps) {
  const headingId = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Card component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" align="flex-start" gap="sm" mb="lg" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" size="lg" radius="md" color={color}>
            <SectionIcon size={20} stroke={1.6} />
          </ThemeIcon>
          <Stack gap={2}>
            <Title order={2} size="h4" id={headingId}>
              {title}
            </Title>
            {description ? (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            ) : null}
          </Stack>
        </Group>
        {aside ? <Box style={{ flexShrink: 0 }}>{aside}</Box> : null}
      </Group>
      {children}
    </Card>
  );
}
