import { Badge, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { ROLE_META } from '../../auth/roles';
import type { Role } from '../../auth/session-store';
import { useSystemInfo } from '../../hooks/use-system-info';
import classes from './demo-accounts.module.css';

/** The accounts the server seeds in development (packages/api/src/seed/demo.ts). Never shown anywhere else. */
const DEMO_ACCOUNTS: ReadonlyArray<{ email: string; password: string; role: Role }> = [
  { email: 'admin@tradepool.dev', password: 'demo-admin-pass', role: 'ADMIN' },
  { email: 'manager@tradepool.dev', password: 'demo-manager-pass', role: 'MANAGER' },
  { email: 'alice@tradepool.dev', password: 'demo-investor-pass', role: 'INVESTOR' },
  { email: 'bob@tradepool.dev', password: 'demo-investor-pass', role: 'INVESTOR' },
];

interface DemoAccountsProps {
  /** Signs in as the account picked (the form shows its credentials meanwhile). */
  onPick: (account: { email: string; password: string }) => void;
}

/** One-click credentials, shown only when the server says it seeded the demo accounts (pnpm dev). */
export function DemoAccounts({ onPick }: DemoAccountsProps) {
  const info = useSystemInfo();
  if (!info.data?.demoAccounts) {
    return null;
  }
  return (
    <Paper p="md" radius="lg" className={classes.panel} data-testid="demo-accounts">
      <Group gap={8} mb={4} wrap="nowrap">
        <IconFlask size={16} stroke={1.7} color="var(--mantine-color-yellow-filled)" aria-hidden />
        <Text size="sm" fw={600}>
          Demo accounts
        </Text>
        <Badge size="xs" variant="light" color="yellow" tt="none">
          development only
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        Seeded by <code>pnpm dev</code>. Pick one to sign in as it.
      </Text>
      <Stack gap={4}>
        {DEMO_ACCOUNTS.map((account) => (
          <UnstyledButton
            key={account.email}
            className={classes.account}
            onClick={() => onPick(account)}
            aria-label={`Sign in as ${account.email} (${ROLE_META[account.role].label})`}
          >
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Text size="sm" ff="monospace" truncate>
                {account.email}
              </Text>
              <Badge
                size="sm"
                variant="light"
                color={ROLE_META[account.role].color}
                style={{ flexShrink: 0 }}
              >
                {ROLE_META[account.role].label}
              </Badge>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </Paper>
  );
}
