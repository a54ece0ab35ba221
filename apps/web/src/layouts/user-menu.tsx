import { Avatar, Box, Button, Group, Indicator, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogin2, IconLogout, IconShieldCog, IconUserCircle } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/auth-provider';
import { currentPath, withNext } from '../auth/next-path';
import { ADMIN_AREA_ROLES, hasRole } from '../auth/roles';
import { REALTIME_LOOK } from '../components/realtime-indicator';
import { RoleBadge } from '../components/role-badge';
import { useRealtimeStatus } from '../lib/realtime';
import classes from './user-menu.module.css';

/** The header's right end: the signed-in person's menu, or the way in. */
export function UserMenu() {
  const { state, user, signOut } = useAuth();
  const location = useLocation();
  const realtime = useRealtimeStatus();

  if (state.status === 'restoring') {
    return <Avatar radius="xl" size={34} aria-hidden />;
  }
  if (!user) {
    const next = location.pathname === '/' ? null : currentPath(location);
    return (
      <Group gap="xs" wrap="nowrap">
        <Button
          component={Link}
          to="/sign-up"
          variant="default"
          visibleFrom="sm"
          data-testid="header-sign-up"
        >
          Create account
        </Button>
        <Button component={Link} to={withNext('/sign-in', next)} leftSection={<IconLogin2 size={16} />}>
          Sign in
        </Button>
      </Group>
    );
  }

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton className={classes.trigger} aria-label={`Account menu for ${user.displayName}`}>
          <Group gap={8} wrap="nowrap">
            <Indicator
              color={REALTIME_LOOK[realtime].color}
              position="bottom-end"
              size={10}
              offset={4}
              withBorder
              classNames={{ indicator: classes.liveDot }}
              aria-hidden
            >
              <Avatar name={user.displayName} color="initials" radius="xl" size={34} />
            </Indicator>
            <Text size="sm" fw={600} visibleFrom="lg" maw={160} truncate>
              {user.displayName}
            </Text>
            <Box visibleFrom="sm" display="flex">
              <IconChevronDown size={14} stroke={1.8} className={classes.chevron} />
            </Box>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Group gap="sm" px="sm" py="xs" wrap="nowrap">
          <Avatar name={user.displayName} color="initials" radius="xl" size={40} />
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text size="sm" fw={600} truncate data-testid="user-menu-name">
              {user.displayName}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {user.email}
            </Text>
            <RoleBadge role={user.role} size="xs" w="fit-content" />
          </Stack>
        </Group>
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconUserCircle size={16} stroke={1.7} />}>
          Account
        </Menu.Item>
        {hasRole(user.role, ADMIN_AREA_ROLES) ? (
          <Menu.Item component={Link} to="/admin" leftSection={<IconShieldCog size={16} stroke={1.7} />}>
            Administration
          </Menu.Item>
        ) : null}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} stroke={1.7} />}
          onClick={() => {
            void signOut();
          }}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
