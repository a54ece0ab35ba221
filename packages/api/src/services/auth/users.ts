import type { Database, Db, User } from '@tradepool/db';
import type { Clock, UserView } from '@tradepool/domain';
import { eq } from 'drizzle-orm';

export function isSubscriptionActive(user: Pick<User, 'subscriptionExpiresAt'>, now: Date): boolean {
  return user.subscriptionExpiresAt !== null && user.subscriptionExpiresAt.getTime() > now.getTime();
}

/** The user as every client sees it (CONTRACT.md §3 `user`). */
export function publicUser(user: User, clock: Clock): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    subscriptionExpiresAt: user.subscriptionExpiresAt?.toISOString() ?? null,
    isSubscriptionActive: isSubscriptionActive(user, clock.now()),
    totpEnabled: user.totpEnabledAt !== null,
  };
}

export async function findUserById(handle: Db, database: Database, id: string): Promise<User | undefined> {
  const { users } = database.schema;
  const [user] = await handle.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function findUserByEmail(
  handle: Db,
  database: Database,
  email: string,
): Promise<User | undefined> {
  const { users } = database.schema;
  const [user] = await handle
    .select()
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  return user;
}

/** The default display name: the part of the email before the @. */
export function displayNameFromEmail(email: string): string {
  return email.split('@')[0]?.slice(0, 80) || email;
}
