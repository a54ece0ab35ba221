import { Anchor, AppShell, Box, Burger, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiStatusBadge, DemoPaymentsBadge } from '../components/api-status-badge';
import { BrandMark } from '../components/brand-mark';
import { ColorSchemeToggle } from '../components/color-scheme-toggle';
import { RealtimeIndicator } from '../components/realtime-indicator';

interface AppHeaderProps {
  navbarOpened: boolean;
  onToggleNavbar: () => void;
  /** The right-most slot: the signed-in user's menu, or the sign-in button. */
  userMenu?: ReactNode;
  /** Whether to show the live-updates indicator (only a signed-in person has a socket). */
  live?: boolean;
}

export function AppHeader({ navbarOpened, onToggleNavbar, userMenu, live = false }: AppHeaderProps) {
  return (
    <AppShell.Header>
      <Group h="100%" px="md" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Burger
            opened={navbarOpened}
            onClick={onToggleNavbar}
            hiddenFrom="sm"
            size="sm"
            aria-label={navbarOpened ? 'Close navigation' : 'Open navigation'}
            aria-controls="app-navbar"
            aria-expanded={navbarOpened}
          />
          <Anchor component={Link} to="/" underline="never" c="inherit" aria-label="Tradepool home">
            <BrandMark />
          </Anchor>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <DemoPaymentsBadge />
          <Box visibleFrom="sm">
            <ApiStatusBadge />
          </Box>
          {/* On phones the account menu's avatar carries the live-updates dot instead. */}
          {live ? (
            <Box visibleFrom="sm">
              <RealtimeIndicator />
            </Box>
          ) : null}
          {/* Phones have no room for it here: the navigation drawer carries it instead. */}
          <Box visibleFrom="sm">
            <ColorSchemeToggle />
          </Box>
          {userMenu}
        </Group>
      </Group>
    </AppShell.Header>
  );
}
