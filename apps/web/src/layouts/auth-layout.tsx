import { Anchor, Box, Group, Text } from '@mantine/core';
import { Link, Outlet } from 'react-router';
import { BrandMark } from '../components/brand-mark';
import { ColorSchemeToggle } from '../components/color-scheme-toggle';
import { SessionPending } from '../components/session-pending';
import classes from './auth-layout.module.css';
import { MAIN_CONTENT_ID } from './root-layout';

/**
 * The frame of sign-in, sign-up and 2FA enrolment: no navigation (during a forced enrolment there is nowhere else to
 * go), just the brand, the appearance switch and one card in the middle.
 */
export function AuthLayout() {
  return (
    <div className={classes.page}>
      <Group component="header" justify="space-between" px="md" py="sm" wrap="nowrap">
        <Anchor component={Link} to="/" underline="never" c="inherit" aria-label="Tradepool home">
          <BrandMark />
        </Anchor>
        <ColorSchemeToggle />
      </Group>
      <Box component="main" id={MAIN_CONTENT_ID} tabIndex={-1} className={classes.main}>
        <SessionPending>
          <Outlet />
        </SessionPending>
      </Box>
      <Text component="footer" size="xs" c="dimmed" ta="center" pb="md" px="md">
        Tradepool · pooled trading funds. Trading involves risk; past results do not predict future returns.
      </Text>
    </div>
  );
}
