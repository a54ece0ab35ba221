import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from './create-database';
import type { Database } from './database';
import { DatabaseClosedError } from './errors';
import { newId } from './id';
import { createTestDatabase, describeEachDialect, dialects } from './testing';

async function countAppliedMigrations(database: Database): Promise<number> {
  if (database.dialect === 'postgres') {
    const result = (await database.db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    )) as {
      rows: Array<{ n: number }>;
    };
    return Number(result.rows[0]?.n);
  }
  const raw = database.db as unknown as BetterSQLite3Database;
  return raw.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`)?.n ?? 0;
}

describeEachDialect('database lifecycle', (ctx) => {
  it('answers ping', async () => {
    await expect(ctx.getDb().ping()).resolves.toBeUndefined();
  });

  it('treats a second migrate as a no-op that keeps the data', async () => {
    const database = ctx.getDb();
    const { users } = database.schema;
    const email = `${newId()}@example.test`;
    await database.transaction(async (tx) => {
      await tx.insert(users).values({ email, passwordHash: 'h', displayName: 'Kept' });
    });
    const applied = await countAppliedMigrations(database);
    expect(applied).toBeGreaterThan(0);

    await database.migrate();
    await database.migrate();

    expect(await countAppliedMigrations(database)).toBe(applied);
    expect(await database.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it('reports a missing migrations folder clearly', async () => {
    await expect(ctx.getDb().migrate({ migrationsFolder: '/nonexistent/migrations' })).rejects.toThrow(
      /journal/i,
    );
  });

  // Last on purpose: it closes the suite's database (afterAll closes it again, which must be harmless).
  it('rejects ping and transactions after close, and close is idempotent', async () => {
    const database = ctx.getDb();
    await database.close();
    await database.close();
    await expect(database.ping()).rejects.toBeInstanceOf(DatabaseClosedError);
    await expect(database.transaction(async () => 1)).rejects.toBeInstanceOf(DatabaseClosedError);
  });
});

describe('migrate on a fresh database', () => {
  it.each(dialects)(
    '%s: two handles migrating at once both succeed, each migration applied once',
    async (dialect) => {
      const fresh = await createTestDatabase(dialect, { migrate: false });
      try {
        if (fresh.url === null) {
          // PGlite lives in this process: there is no second handle on the same database to race with.
          await fresh.database.migrate();
          expect(await countAppliedMigrations(fresh.database)).toBeGreaterThan(0);
          return;
        }
        const second = await createDatabase(fresh.url);
        try {
          await Promise.all([fresh.database.migrate(), second.migrate()]);
          expect(await countAppliedMigrations(fresh.database)).toBeGreaterThan(0);
          expect(await countAppliedMigrations(second)).toBe(await countAppliedMigrations(fresh.database));
        } finally {
          await second.close();
        }
      } finally {
        await fresh.dispose();
      }
    },
  );
});

describe('createDatabase', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-db-'));
    dirs.push(dir);
    return dir;
  };

  it('creates the parent directory of a relative SQLite path, resolved against cwd', async () => {
    const dir = await tempDir();
    const database = await createDatabase('file:nested/deeper/app.db', { cwd: dir });
    try {
      await database.ping();
      expect(existsSync(join(dir, 'nested/deeper/app.db'))).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('opens SQLite with WAL, synchronous=FULL, busy_timeout and foreign keys (the writer waits in its queue, not in SQLite)', async () => {
    const dir = await tempDir();
    const database = await createDatabase(`file:${join(dir, 'app.db')}`);
    try {
      type Pragmas = { pragma(source: string, options: { simple: true }): unknown };
      const pragmasOf = (client: Pragmas) => ({
        journalMode: client.pragma('journal_mode', { simple: true }),
        synchronous: client.pragma('synchronous', { simple: true }),
        busyTimeout: client.pragma('busy_timeout', { simple: true }),
        foreignKeys: client.pragma('foreign_keys', { simple: true }),
      });
      const expected = { journalMode: 'wal', synchronous: 2, busyTimeout: 5000, foreignKeys: 1 };
      const reader = (database.db as unknown as { $client: Pragmas }).$client;
      expect(pragmasOf(reader)).toEqual(expected);
      const writer = await database.transaction(async (tx) =>
        pragmasOf((tx as unknown as { $client: Pragmas }).$client),
      );
      // The write connection never sleeps in SQLite's busy handler: its queue tries BEGIN IMMEDIATE and waits for
      // the lock asynchronously, up to the same 5 s (write-turns.test.ts).
      expect(writer).toEqual({ ...expected, busyTimeout: 0 });
    } finally {
      await database.close();
    }
  });

  it('keeps the SQLite read connection read-only', async () => {
    const dir = await tempDir();
    const database = await createDatabase(`file:${join(dir, 'app.db')}`);
    try {
      await database.migrate();
      const { events } = database.schema;
      await expect(
        (async () => {
          await database.db.insert(events).values({ type: 'x', payload: {} });
        })(),
      ).rejects.toThrow(/readonly/);
    } finally {
      await database.close();
    }
  });

  it('rejects an unknown scheme, naming it without the password', async () => {
    const failure = createDatabase('mysql://root:hunter2@localhost/tradepool');
    await expect(failure).rejects.toThrow(/"mysql:"/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });

  it('rejects ping for an unreachable Postgres server', async () => {
    const database = await createDatabase('postgres://tradepool:secret@127.0.0.1:1/x');
    try {
      await expect(database.ping()).rejects.toThrow();
    } finally {
      await database.close();
    }
  });
});
