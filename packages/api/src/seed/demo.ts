import type { User } from '@tradepool/db';
import type { ServiceDeps } from '../context';
import { ensureUser } from '../services/users/admin-users';
import { seedDemoMoney } from './demo-money';
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

/**
 * Seeds the demo accounts, then (once, on a database without pools) the demo pools and the money that makes them
 * real: investments, capital, two weeks of PnL reports and one settled pool with payouts and fees.
 */
export async function seedDemoData(deps: ServiceDeps): Promise<typeof DEMO_ACCOUNTS> {
  const users = new Map<string, User>();
  for (const account of DEMO_ACCOUNTS) {
    const { user } = await ensureUser(deps, { ...account, action: 'demo.seeded' });
    users.set(account.email, user);
  }
  const manager = users.get('manager@tradepool.dev');
  const alice = users.get('alice@tradepool.dev');
  const bob = users.get('bob@tradepool.dev');
  const pools = await seedDemoPools(deps, manager?.id ?? null);
  if (pools && manager && alice && bob) {
    await seedDemoMoney(deps, { manager, alice, bob }, pools);
  }
  return DEMO_ACCOUNTS;
}
