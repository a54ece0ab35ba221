import { eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database, Db } from '../database';
import { NestedTransactionError, TransactionScopeError } from '../errors';
import { forUpdate } from '../for-update';
import { newId } from '../id';
import type { NewUser } from '../schema/pg';
import { createTestDatabase, describeEachDialect } from '../testing';

const warnings: Array<{ obj: object; msg: string }> = [];
const logger = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function aUser(overrides: Partial<NewUser> = {}): NewUser {
  return { email: `${newId()}@example.test`, passwordHash: 'hash', displayName: 'Test User', ...overrides };
}

async function countUsersWithEmail(db: Db, database: Database, email: string): Promise<number> {
  const { users } = database.schema;
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return rows.length;
}

describeEachDialect(
  'transaction()',
  (ctx) => {
    beforeEach(async () => {
      warnings.length = 0;
      await ctx.reset();
    });

    it('sees its own writes while outside reads see only committed state', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      const user = aUser();
      const written = deferred();
      const checked = deferred();

      const transaction = database.transaction(async (tx) => {
        await tx.insert(users).values(user);
        expect(await countUsersWithEmail(tx, database, user.email)).toBe(1);
        written.resolve();
        await checked.promise;
      });

      await written.promise;
      const outside = countUsersWithEmail(database.db, database, user.email);
      const early = await Promise.race([outside, sleep(200).then(() => 'still waiting' as const)]);
      if (ctx.driver() === 'pglite') {
        // PGlite is a single connection: an outside read waits for the transaction instead of reading past it.
        expect(early).toBe('still waiting');
      } else {
        expect(early).toBe(0);
      }
      checked.resolve();
      await transaction;

      expect(await outside).toBe(ctx.driver() === 'pglite' ? 1 : 0);
      expect(await countUsersWithEmail(database.db, database, user.email)).toBe(1);
    });

    it('rolls back everything and rethrows the same error when the callback throws', async () => {
      const database = ctx.getDb();
      const { users, events } = database.schema;
      const user = aUser();
      const failure = new Error('boom');

      await expect(
        database.transaction(async (tx) => {
          await tx.insert(users).values(user);
          await tx.insert(events).values({ type: 'test.rollback', payload: { n: 1 } });
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect(await countUsersWithEmail(database.db, database, user.email)).toBe(0);
      expect(await database.db.select().from(events)).toEqual([]);
    });

    it('returns the callback result', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      const inserted = await database.transaction(async (tx) => {
        const [row] = await tx.insert(users).values(aUser()).returning();
        return row;
      });
      expect(inserted?.role).toBe('INVESTOR');
    });

    it('runs afterCommit once, after the commit is visible, and never after a rollback', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      const calls: string[] = [];
      const user = aUser();
      let visibleInCallback: Promise<number> | undefined;

      const result = await database.transaction(
        async (tx) => {
          await tx.insert(users).values(user);
          calls.push('body');
          return 42;
        },
        {
          afterCommit: () => {
            calls.push('afterCommit');
            visibleInCallback = countUsersWithEmail(database.db, database, user.email);
          },
        },
      );
      expect(result).toBe(42);
      expect(calls).toEqual(['body', 'afterCommit']);
      expect(await visibleInCallback).toBe(1);

      await expect(
        database.transaction(
          async () => {
            throw new Error('rolled back');
          },
          { afterCommit: () => calls.push('must not run') },
        ),
      ).rejects.toThrow('rolled back');
      expect(calls).toEqual(['body', 'afterCommit']);
    });

    it('logs a failing afterCommit callback without failing the committed transaction', async () => {
      const database = ctx.getDb();
      await expect(
        database.transaction(async () => 'ok', {
          afterCommit: () => {
            throw new Error('callback bug');
          },
        }),
      ).resolves.toBe('ok');
      await expect(
        database.transaction(async () => 'ok', {
          afterCommit: async () => Promise.reject(new Error('async bug')),
        }),
      ).resolves.toBe('ok');
      await sleep(0);
      expect(warnings.map((w) => w.msg)).toEqual([
        'afterCommit callback failed after the transaction committed',
        'afterCommit callback failed after the transaction committed',
      ]);
    });

    it('lets an afterCommit callback start the next transaction', async () => {
      const database = ctx.getDb();
      const { events } = database.schema;
      const followUp = deferred();
      await database.transaction(async (tx) => tx.insert(events).values({ type: 'first', payload: {} }), {
        afterCommit: () => {
          void database
            .transaction(async (tx) => tx.insert(events).values({ type: 'second', payload: {} }))
            .then(followUp.resolve);
        },
      });
      await followUp.promise;
      const types = (await database.db.select().from(events).orderBy(events.id)).map((e) => e.type);
      expect(types).toEqual(['first', 'second']);
    });

    it('refuses a nested transaction, and the outer one rolls back', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      const user = aUser();
      await expect(
        database.transaction(async (tx) => {
          await tx.insert(users).values(user);
          await database.transaction(async () => 'inner');
        }),
      ).rejects.toBeInstanceOf(NestedTransactionError);
      expect(await countUsersWithEmail(database.db, database, user.email)).toBe(0);

      await expect(
        database.transaction(async (tx) => tx.transaction(async () => 'inner')),
      ).rejects.toBeInstanceOf(NestedTransactionError);
    });

    it('refuses database.db inside a transaction and drizzle transactions on database.db', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      await expect(
        database.transaction(async () => {
          await database.db.select().from(users);
        }),
      ).rejects.toBeInstanceOf(TransactionScopeError);
      expect(() => database.db.transaction(async () => 'x')).toThrow(TransactionScopeError);
    });

    it('loses no update with 8 concurrent read-modify-write writers', async () => {
      const database = ctx.getDb();
      const { users } = database.schema;
      const [user] = await database.transaction(async (tx) =>
        tx.insert(users).values(aUser()).returning({ id: users.id }),
      );
      if (user === undefined) {
        throw new Error('insert returned nothing');
      }
      const writers = 8;
      const rounds = 25;
      const before = database.stats?.();

      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let round = 0; round < rounds; round++) {
            await database.transaction(async (tx) => {
              const [row] = await forUpdate(
                tx.select({ version: users.tokenVersion }).from(users).where(eq(users.id, user.id)),
              );
              // Yield between read and write so concurrent transactions get every chance to interleave.
              await new Promise((resolve) => setImmediate(resolve));
              await tx
                .update(users)
                .set({ tokenVersion: (row?.version ?? Number.NaN) + 1 })
                .where(eq(users.id, user.id));
            });
          }
        }),
      );

      const [final] = await database.db
        .select({ version: users.tokenVersion })
        .from(users)
        .where(eq(users.id, user.id));
      expect(final?.version).toBe(writers * rounds);

      const after = database.stats?.();
      expect(after && before && after.committed - before.committed).toBe(writers * rounds);
      if (ctx.dialect === 'sqlite' && after && before) {
        // Group commit: the waiting writers shared fsyncs.
        expect(after.commits - before.commits).toBeLessThan(writers * rounds);
      }
    });

    it('rolls back only the failing transaction of a group of concurrent ones', async () => {
      const database = ctx.getDb();
      const { events } = database.schema;
      const committed: number[] = [];
      const before = database.stats?.();

      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          database.transaction(
            async (tx) => {
              await tx.insert(events).values({ type: 'test.group', payload: { i } });
              if (i === 4) {
                throw new Error('transaction 4 fails');
              }
              return i;
            },
            { afterCommit: () => committed.push(i) },
          ),
        ),
      );

      expect(results.map((r) => r.status)).toEqual([
        ...Array(4).fill('fulfilled'),
        'rejected',
        ...Array(5).fill('fulfilled'),
      ]);
      const rejected = results[4];
      expect(rejected?.status === 'rejected' && (rejected.reason as Error).message).toBe(
        'transaction 4 fails',
      );
      const stored = await database.db.select().from(events);
      expect(stored.map((e) => Number(e.payload.i)).sort((a, b) => a - b)).toEqual([
        0, 1, 2, 3, 5, 6, 7, 8, 9,
      ]);
      expect(committed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);

      const after = database.stats?.();
      expect(after && before && after.rolledBack - before.rolledBack).toBe(1);
      if (ctx.dialect === 'sqlite' && after && before) {
        expect(after.commits - before.commits).toBe(1);
      }
    });

    it('enforces foreign keys and cascades deletes', async () => {
      const database = ctx.getDb();
      const { users, recoveryCodes } = database.schema;
      await expect(
        database.transaction(async (tx) =>
          tx.insert(recoveryCodes).values({ userId: 'nobody', codeHash: 'h' }),
        ),
      ).rejects.toThrow();

      const user = aUser();
      await database.transaction(async (tx) => {
        const [row] = await tx.insert(users).values(user).returning({ id: users.id });
        await tx.insert(recoveryCodes).values({ userId: row?.id ?? '', codeHash: 'h' });
      });
      expect(await database.db.select().from(recoveryCodes)).toHaveLength(1);
      await database.transaction(async (tx) => tx.delete(users).where(eq(users.email, user.email)));
      expect(await database.db.select().from(recoveryCodes)).toHaveLength(0);
    });
  },
  { databaseOptions: { logger } },
);

describeEachDialect(
  'transaction() on SQLite only',
  (ctx) => {
    it('rejects every transaction of the group when the shared COMMIT fails', async () => {
      const database = ctx.getDb();
      const { events, recoveryCodes } = database.schema;
      const committed: number[] = [];
      const results = await Promise.allSettled(
        [0, 1, 2].map((i) =>
          database.transaction(
            async (tx) => {
              await tx.insert(events).values({ type: 'test.commit-fails', payload: { i } });
              if (i === 1) {
                // A deferred foreign key is only checked by COMMIT, so this makes the group's COMMIT fail.
                const raw = tx as unknown as BetterSQLite3Database;
                raw.run(sql`PRAGMA defer_foreign_keys = ON`);
                await tx.insert(recoveryCodes).values({ userId: 'nobody', codeHash: 'h' });
              }
              return i;
            },
            { afterCommit: () => committed.push(i) },
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(committed).toEqual([]);
      expect(await database.db.select().from(events)).toEqual([]);

      // The write connection is usable again afterwards.
      await database.transaction(async (tx) => tx.insert(events).values({ type: 'after', payload: {} }));
      expect(await database.db.select().from(events)).toHaveLength(1);
    });

    it('refuses a transaction handle used after its callback returned', async () => {
      const database = ctx.getDb();
      const { events } = database.schema;
      let leaked: Db | undefined;
      await database.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(
        (async () => {
          await leaked?.insert(events).values({ type: 'late', payload: {} });
        })(),
      ).rejects.toBeInstanceOf(TransactionScopeError);
    });

    it('accepts a query builder returned from the callback without await', async () => {
      const database = ctx.getDb();
      const { events } = database.schema;
      const rows = await database.transaction(async (tx) =>
        tx.insert(events).values({ type: 'returned', payload: {} }).returning(),
      );
      expect(rows).toHaveLength(1);
    });
  },
  { dialects: ['sqlite'] },
);

describe('SQLite group size', () => {
  it.each([
    { maxGroupSize: 1, transactions: 5, commits: 5 },
    { maxGroupSize: 3, transactions: 7, commits: 3 },
  ])(
    'commits $transactions waiting transactions in $commits commits with maxGroupSize $maxGroupSize',
    async ({ maxGroupSize, transactions, commits }) => {
      const { database, dispose } = await createTestDatabase('sqlite', { databaseOptions: { maxGroupSize } });
      try {
        const { events } = database.schema;
        await Promise.all(
          Array.from({ length: transactions }, (_, i) =>
            database.transaction(async (tx) => {
              await tx.insert(events).values({ type: 'test.size', payload: { i } });
            }),
          ),
        );
        expect(database.stats?.()).toEqual({ committed: transactions, rolledBack: 0, commits });
      } finally {
        await dispose();
      }
    },
  );
});
