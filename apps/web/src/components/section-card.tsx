import { Box, Card, Group, type GroupProps, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** The tinted square icon beside a card's title. */
export function HeadingIcon({ icon: HeadingGlyph, color }: { icon: Icon; color?: string }) {
  return (
    <ThemeIcon variant="light" size="lg" radius="md" color={color}>
      <HeadingGlyph size={20} stroke={1.6} />
    </ThemeIcon>
  );
}

/** A card's heading: its icon, then its title; `p`/`mb` place it in the card. */
export function CardHeading({
  icon,
  color,
  children,
  ...layout
}: { icon: Icon; color?: string; children: ReactNode } & Pick<GroupProps, 'p' | 'mb'>) {
  return (
    <Group gap="sm" wrap="nowrap" {...layout}>
      <HeadingIcon icon={icon} color={color} />
      <Title order={2} size="h4">
        {children}
      </Title>
    </Group>
  );
}

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
          <HeadingIcon icon={SectionIcon} color={color} />
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
