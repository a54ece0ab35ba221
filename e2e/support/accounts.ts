import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { setRole } from './db';
import { totpCode } from './totp';
import { trpcMutation } from './trpc-http';

export type Role = 'INVESTOR' | 'MANAGER' | 'ADMIN';

export interface BrowserSession {
  user: { id: string; email: string; displayName: string; role: Role; totpEnabled: boolean };
  accessToken: string;
  accessTokenExpiresAt: string;
  totpEnrollmentRequired: boolean;
}

export interface TestAccount {
  email: string;
  password: string;
  displayName: string;
  /** The TOTP secret, for accounts enrolled in 2FA. */
  totpSecret?: string;
}

/** An address no other test (or earlier run against the same server) has used. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@e2e.test`;
}

/** A fresh investor, created through the API; `request` (use `page.request`) ends up signed in as them. */
export async function signUpViaApi(
  request: APIRequestContext,
  account: Partial<TestAccount> & { prefix?: string } = {},
): Promise<TestAccount & { session: BrowserSession }> {
  const email = account.email ?? uniqueEmail(account.prefix ?? 'investor');
  const password = account.password ?? `pw-${randomBytes(6).toString('hex')}`;
  const displayName = account.displayName ?? 'E2E Investor';
  const session = await trpcMutation<BrowserSession>(request, 'session.signUp', {
    email,
    password,
    displayName,
  });
  return { email, password, displayName, session };
}

export function signInViaApi(
  request: APIRequestContext,
  credentials: { email: string; password: string; totp?: string },
): Promise<BrowserSession> {
  return trpcMutation<BrowserSession>(request, 'session.signIn', credentials);
}

/**
 * A MANAGER or ADMIN with 2FA enrolled (REQUIRE_ADMIN_2FA is on in e2e), signed in through `request`: its cookies
 * are the page's, so the app opens signed in as this person. Sign-up through the API, promotion in the database,
 * enrolment through the API with a code computed from the secret, then a refresh for a complete session.
 */
export async function seedStaff(
  request: APIRequestContext,
  role: Exclude<Role, 'INVESTOR'>,
  displayName = role === 'ADMIN' ? 'E2E Admin' : 'E2E Manager',
): Promise<TestAccount> {
  const account = await signUpViaApi(request, { prefix: role.toLowerCase(), displayName });
  // The sign-up session would otherwise linger in the account's session list.
  await trpcMutation(request, 'session.signOut', undefined, { token: account.session.accessToken });
  await setRole(account.email, role);
  const enrolling = await signInViaApi(request, { email: account.email, password: account.password });
  const token = enrolling.accessToken;
  const { secret } = await trpcMutation<{ secret: string }>(request, 'account.totp.begin', undefined, {
    token,
  });
  await trpcMutation(request, 'account.totp.confirm', { code: totpCode(secret) }, { token });
  await trpcMutation<BrowserSession>(request, 'session.refresh');
  return { email: account.email, password: account.password, displayName, totpSecret: secret };
}
