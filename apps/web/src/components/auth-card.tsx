import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';

interface AuthCardProps {
  title: string;
  description?: ReactNode;
  /** An icon above the title, for steps that are not the plain sign-in form. */
  icon?: ReactNode;
  /** Wider for the 2FA walk-through, which shows a QR code beside its instructions. */
  width?: number;
  children: ReactNode;
  /** Below the card, outside it: links to the other form, the demo accounts. */
  after?: ReactNode;
}

/** The card every page of the auth layout is: a heading (also the tab title) and the form. */
export function AuthCard({ title, description, icon, width = 440, children, after }: AuthCardProps) {
  useDocumentTitle(`${title} · Tradepool`);
  return (
    <Stack w="100%" maw={width} gap="md">
      <Paper withBorder shadow="sm" p={{ base: 'lg', xs: 'xl' }} radius="lg">
        <Stack gap={6} mb="lg">
          {icon ? (
            <ThemeIcon size={44} radius="xl" variant="light" mb={4}>
              {icon}
            </ThemeIcon>
          ) : null}
          <Title order={1} fz={{ base: 24, xs: 26 }} lh={1.25}>
            {title}
          </Title>
          {description ? (
            <Text c="dimmed" size="sm" lh={1.55}>
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Paper>
      {after}
    </Stack>
  );
}
