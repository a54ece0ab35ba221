import { AppShell, Box, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { NavLink as RouterNavLink, useMatch } from 'react-router';
import { useAuth } from '../auth/auth-provider';
import { ApiStatusBadge } from '../components/api-status-badge';
import { ColorSchemeToggle } from '../components/color-scheme-toggle';
import { useSystemInfo } from '../hooks/use-system-info';
import { type NavItem, visibleNavSections } from './nav-config';

interface AppNavbarProps {
  /** Called after a link is followed, so the mobile drawer closes. */
  onNavigate: () => void;
}

function NavItemLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const active = useMatch({ path: item.to, end: item.end ?? false }) !== null;
  return (
    <NavLink
      component={RouterNavLink}
      to={item.to}
      end={item.end}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.6} />}
      active={active}
      variant="light"
      onClick={onNavigate}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
}

function VersionLine() {
  const info = useSystemInfo();
  let text = 'Checking server…';
  if (info.data) {
    text = `Server v${info.data.version} · ${info.data.environment}`;
  } else if (info.isError) {
    text = 'Server version unavailable';
  }
  return (
    <Text size="xs" c="dimmed" data-testid="server-version">
      {text}
    </Text>
  );
}

export function AppNavbar({ onNavigate }: AppNavbarProps) {
  const { user } = useAuth();
  const sections = visibleNavSections(user?.role ?? null);
  return (
    <>
      <AppShell.Section grow component={ScrollArea} p="sm">
        <Stack gap="lg">
          {sections.map((section) => (
            <Box component="nav" aria-labelledby={`nav-${section.id}`} key={section.id}>
              <Text
                id={`nav-${section.id}`}
                size="xs"
                fw={700}
                c="dimmed"
                tt="uppercase"
                lts={0.6}
                px="sm"
                mb={6}
              >
                {section.label}
              </Text>
              <Stack gap={2}>
                {section.items.map((item) => (
                  <NavItemLink key={item.to} item={item} onNavigate={onNavigate} />
                ))}
              </Stack>
            </Box>
          ))}
        </Stack>
      </AppShell.Section>
      <AppShell.Section px="md" py="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        <Stack gap={6} align="flex-start">
          {/* The header has no room for these on small screens; the drawer shows them instead. */}
          <Group hiddenFrom="sm" justify="space-between" w="100%" wrap="nowrap">
            <ApiStatusBadge testId="api-status-nav" />
            <ColorSchemeToggle />
          </Group>
          <VersionLine />
        </Stack>
      </AppShell.Section>
    </>
  );
}
