import { Anchor, AppShell, Box, Burger, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiStatusBadge, DemoPaymentsBadge } from '../components/api-status-badge';
import { BrandMark } from '../components/brand-mark';
import { ColorSchemeToggle } from '../components/color-scheme-toggle';

interface AppHeaderProps {
  navbarOpened: boolean;
  onToggleNavbar: () => void;
  /** The right-most slot: the signed-in user's menu (or sign-in button), supplied by the auth feature. */
  userMenu?: ReactNode;
}

export function AppHeader({ navbarOpened, onToggleNavbar, userMenu }: AppHeaderProps) {
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
          <ColorSchemeToggle />
          {userMenu}
        </Group>
      </Group>
    </AppShell.Header>
  );
}
