import { Anchor, Breadcrumbs, Group, Text, ThemeIcon } from '@mantine/core';
import { IconShieldCog } from '@tabler/icons-react';
import { Link, Outlet, useMatches } from 'react-router';
import { hasCrumb } from './route-handle';

/**
 * Frame for every `/admin` page: marks the area as administrative and shows where you are. Routes name themselves
 * through `handle.crumb`, so a new admin page gets its breadcrumb by declaring it.
 */
export function AdminLayout() {
  const crumbs = useMatches().filter(hasCrumb);

  return (
    <>
      <Group gap="sm" mb="lg" wrap="nowrap">
        <ThemeIcon variant="light" color="grape" size="md" radius="md">
          <IconShieldCog size={16} stroke={1.7} />
        </ThemeIcon>
        <Breadcrumbs component="nav" separatorMargin={6} aria-label="Breadcrumb">
          {crumbs.map((match, index) =>
            index < crumbs.length - 1 ? (
              <Anchor component={Link} to={match.pathname} size="sm" key={match.id}>
                {match.handle.crumb}
              </Anchor>
            ) : (
              <Text size="sm" fw={600} key={match.id} aria-current="page">
                {match.handle.crumb}
              </Text>
            ),
          )}
        </Breadcrumbs>
      </Group>
      <Outlet />
    </>
  );
}
