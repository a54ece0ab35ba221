import { createDatabase, type Database, newId, type User } from '@tradepool/db';
import { E2E_DATABASE_URL } from './env';

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await createDatabase(E2E_DATABASE_URL);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * Changes columns of an existing user, found by email. Written as an upsert on the unique email (the insert half
 * never applies, the row exists): it needs no drizzle-orm operator, and drizzle-orm is a dependency of the db
 * package, not of e2e.
 */
async function updateUserByEmail(
  email: string,
  change: Partial<
    Pick<
      User,
      'role' | 'totpSecretEnc' | 'totpEnabledAt' | 'totpLastUsedStep' | 'totpFailures' | 'totpLockedUntil'
    >
  >,
): Promise<void> {
  await withDatabase(async (database) => {
    const { users } = database.schema;
    const existing = await database.db.query.users.findFirst({
      where: (user, { eq }) => eq(user.email, email),
    });
    if (!existing) {
      throw new Error(`No user ${email} to update: create it first (sign up through the API)`);
    }
    const now = new Date();
    await database.transaction(async (tx) => {
      await tx
        .insert(users)
        .values({
          id: newId(),
          email,
          passwordHash: 'x',
          displayName: 'x',
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({ target: users.email, set: { ...change, updatedAt: now } });
    });
  });
}

/**
 * Makes an account MANAGER or ADMIN. Sign-up only creates investors and the first promotion has no API, so tests seed
 * it here. Its sessions stop working (tokens carry the role): sign in afterwards.
 */
export function setRole(email: string, role: 'INVESTOR' | 'MANAGER' | 'ADMIN'): Promise<void> {
  return updateUserByEmail(email, { role });
}

/** Puts an account back to "2FA never set up", so a journey that enrols can run again (retries, repeated runs). */
export function resetTwoFactor(email: string): Promise<void> {
  return updateUserByEmail(email, {
    totpSecretEnc: null,
    totpEnabledAt: null,
    totpLastUsedStep: null,
    totpFailures: 0,
    totpLockedUntil: null,
  });
}
