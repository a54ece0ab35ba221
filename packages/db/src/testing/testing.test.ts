import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from './env';
import { createTestDatabase, describeEachDialect, truncateAll } from './index';

describeEachDialect('describeEachDialect', (ctx) => {
  it('provides a migrated database of the suite dialect', async () => {
    const database = ctx.getDb();
    expect(database.dialect).toBe(ctx.dialect);
    expect(ctx.driver()).toBe(
      ctx.dialect === 'sqlite' ? 'sqlite' : testDatabaseUrl() === undefined ? 'pglite' : 'postgres',
    );
    expect(ctx.getUrl() === null).toBe(ctx.driver() === 'pglite');
    await expect(database.db.select().from(database.schema.users)).resolves.toEqual([]);
  });

  it('truncateAll empties every table and restarts ids', async () => {
    const database = ctx.getDb();
    const { events } = database.schema;
    await database.transaction(async (tx) => tx.insert(events).values({ type: 'a', payload: {} }));
    await truncateAll(database);
    expect(await database.db.select().from(events)).toEqual([]);
    const [row] = await database.transaction(async (tx) =>
      tx.insert(events).values({ type: 'b', payload: {} }).returning(),
    );
    // Postgres event ids come from the transaction id (they never restart); SQLite's AUTOINCREMENT does.
    expect(database.dialect === 'sqlite' ? row?.id : (row?.id ?? 0) % 65_536).toBe(1);
  });
});

describe('createTestDatabase', () => {
  it('puts SQLite in a temporary directory that dispose deletes', async () => {
    const test = await createTestDatabase('sqlite');
    const path = (test.url ?? '').slice('file:'.length);
    expect(existsSync(path)).toBe(true);
    await test.dispose();
    await test.dispose();
    expect(existsSync(dirname(path))).toBe(false);
  });

  it.skipIf(testDatabaseUrl() === undefined)(
    'creates a fresh Postgres database per call and drops it on dispose',
    async () => {
      const [a, b] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
      const names = [a, b].map((t) => new URL(t?.url ?? '').pathname.slice(1));
      expect(names[0]).not.toBe(names[1]);
      const exists = async (name: string | undefined) => {
        const admin = new pg.Client({ connectionString: testDatabaseUrl() });
        await admin.connect();
        try {
          const result = await admin.query('select 1 from pg_database where datname = $1', [name]);
          return result.rowCount === 1;
        } finally {
          await admin.end();
        }
      };
      expect(await exists(names[0])).toBe(true);
      await Promise.all([a?.dispose(), b?.dispose()]);
      expect(await exists(names[0])).toBe(false);
      expect(await exists(names[1])).toBe(false);
    },
  );
});
