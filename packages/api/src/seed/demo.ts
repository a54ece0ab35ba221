import type { ServiceDeps } from '../context';
import { ensureUser } from '../services/users/admin-users';

/** Known accounts for `pnpm dev`, printed at start so a newcomer can sign in as each role. Never used in production. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@tradepool.dev', password: 'demo-admin-pass', role: 'ADMIN', displayName: 'Ada Admin' },
  {
    email: 'manager@tradepool.dev',
    password: 'demo-manager-pass',
    role: 'MANAGER',
    displayName: 'Max Manager',
  },
  {
    email: 'alice@tradepool.dev',
    password: 'demo-investor-pass',
    role: 'INVESTOR',
    displayName: 'Alice Investor',
  },
  {
    email: 'bob@tradepool.dev',
    password: 'demo-investor-pass',
    role: 'INVESTOR',
    displayName: 'Bob Investor',
  },
] as const;

export async function seedDemoData(deps: ServiceDeps): Promise<typeof DEMO_ACCOUNTS> {
  for (const account of DEMO_ACCOUNTS) {
    await ensureUser(deps, { ...account, action: 'demo.seeded' });
  }
  return DEMO_ACCOUNTS;
}
