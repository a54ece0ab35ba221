import type { ServiceDeps } from '../context';
import { ensureUser } from '../services/users/admin-users';
import { seedDemoPools } from './demo-pools';

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
  let managerId: string | null = null;
  for (const account of DEMO_ACCOUNTS) {
    const { user } = await ensureUser(deps, { ...account, action: 'demo.seeded' });
    if (account.role === 'MANAGER') {
      managerId = user.id;
    }
  }
  await seedDemoPools(deps, managerId);
  return DEMO_ACCOUNTS;
}
