import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTableName, is, sql, Table } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase } from '../create-database';
import type { Database, Dialect } from '../database';
import type { CreateDatabaseOptions } from '../options';
import { redactUrl } from '../url';
import { testDatabaseUrl } from './env';

/** Which engine actually serves a test database: `postgres` tests run on PGlite unless TEST_DATABASE_URL is set. */
export type TestDriver = 'sqlite' | 'pglite' | 'postgres';

export interface TestDatabase {
  readonly database: Database;
  readonly dialect: Dialect;
  readonly driver: TestDriver;
  /** A URL another process can open (e.g. a server under test); null for PGlite, which lives in this process. */
  readonly url: string | null;
  /** Closes the database and deletes it (temp directory, or `DROP DATABASE … WITH (FORCE)`). Idempotent. */
  dispose(): Promise<void>;
}

export const dialects: readonly Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabaseOptions {
  /** Apply the committed migrations before returning (default true). */
  readonly migrate?: boolean;
  /** Passed to `createDatabase` (e.g. a logger, `maxGroupSize`). */
  readonly databaseOptions?: CreateDatabaseOptions;
}

// Postgres refuses CREATE DATABASE while another session is connected to the template; parallel workers can hit it.
const TEMPLATE_BUSY = '55006';

async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'tradepool-tests' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createServerDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== TEMPLATE_BUSY || attempt >= 20) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/** `createDatabase(url)`, migrated when asked; a database whose migration fails is closed before the error goes on. */
async function openDatabase(
  url: string,
  options: CreateDatabaseOptions,
  migrate: boolean,
): Promise<Database> {
  const database = await createDatabase(url, options);
  if (migrate) {
    try {
      await database.migrate();
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

/**
 * A fresh, migrated database of `dialect`, isolated from every other test worker: SQLite in a new temp directory;
 * Postgres as a new `tp_t_<random>` database on TEST_DATABASE_URL's server, or an in-memory PGlite when it is unset.
 */
export async function createTestDatabase(
  dialect: Dialect,
  testOptions: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const options = testOptions.databaseOptions ?? {};
  const migrate = testOptions.migrate ?? true;
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'tp-test-'));
    const url = `file:${join(dir, 'test.db')}`;
    try {
      const database = await openDatabase(url, options, migrate);
      const dispose = once(async () => {
        await database.close();
        await rm(dir, { recursive: true, force: true });
      });
      return { database, dialect, driver: 'sqlite', url, dispose };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  const adminUrl = testDatabaseUrl();
  if (adminUrl === undefined) {
    const database = await openDatabase('pglite:', options, migrate);
    return { database, dialect, driver: 'pglite', url: null, dispose: once(() => database.close()) };
  }

  const name = `tp_t_${randomBytes(8).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await createServerDatabase(adminUrl, name);
  } catch (error) {
    throw new Error(`Could not create a test database on ${redactUrl(adminUrl)}`, { cause: error });
  }
  const drop = () =>
    withAdminClient(adminUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  try {
    const database = await openDatabase(url.toString(), { poolSize: 5, ...options }, migrate);
    const dispose = once(async () => {
      try {
        await database.close();
      } finally {
        await drop();
      }
    });
    return { database, dialect, driver: 'postgres', url: url.toString(), dispose };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** Empties every table of the schema and restarts the id sequences, in one transaction. */
export async function truncateAll(database: Database): Promise<void> {
  const names = Object.values(database.schema as Record<string, unknown>)
    .filter((value): value is Table => is(value, Table))
    .map((table) => getTableName(table));
  await database.transaction(async (tx) => {
    if (database.dialect === 'postgres') {
      await tx.execute(sql.raw(`TRUNCATE ${names.map((n) => `"${n}"`).join(', ')} RESTART IDENTITY CASCADE`));
      return;
    }
    // At runtime the SQLite handle is a better-sqlite3 drizzle database, which runs raw SQL with `run`.
    const sqliteTx = tx as unknown as BetterSQLite3Database;
    for (const name of names) {
      sqliteTx.run(sql.raw(`DELETE FROM "${name}"`));
    }
    const hasSequences = sqliteTx.get<{ n: number }>(
      sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`,
    );
    if (hasSequences !== undefined && hasSequences.n > 0) {
      sqliteTx.run(sql`DELETE FROM sqlite_sequence`);
    }
  });
}

export interface DialectSuite {
  readonly dialect: Dialect;
  /** The engine behind the database; available once the suite's `beforeAll` has run. */
  driver(): TestDriver;
  /** The suite's database; call it inside tests and hooks, not while the suite is being collected. */
  getDb(): Database;
  /** See `TestDatabase.url`. */
  getUrl(): string | null;
  /** `truncateAll` on the suite's database: call it from `beforeEach` when tests must not see each other's rows. */
  reset(): Promise<void>;
}

export interface DescribeEachDialectOptions {
  /** Restrict the dialects (default: both). */
  readonly dialects?: readonly Dialect[];
  /** Passed to `createDatabase` (e.g. a logger, `maxGroupSize`). */
  readonly databaseOptions?: CreateDatabaseOptions;
}

const SETUP_TIMEOUT_MS = 120_000;

/**
 * Declares `name` once per dialect (`name [sqlite]`, `name [postgres]`), each with its own fresh, migrated database
 * shared by the tests of that block: created in `beforeAll`, deleted in `afterAll`. A PGlite start takes seconds,
 * so use one block per test file and `reset()` between tests where needed, rather than many small blocks.
 *
 * @example
 * describeEachDialect('wallet', (ctx) => {
 *   beforeEach(() => ctx.reset());
 *   it('deposits', async () => {
 *     const database = ctx.getDb();
 *     await database.transaction(async (tx) => { … });
 *   });
 * });
 */
export function describeEachDialect(
  name: string,
  fn: (suite: DialectSuite) => void,
  options: DescribeEachDialectOptions = {},
): void {
  for (const dialect of options.dialects ?? dialects) {
    describe(`${name} [${dialect}]`, () => {
      let handle: TestDatabase | undefined;
      const current = (): TestDatabase => {
        if (handle === undefined) {
          throw new Error(`The ${dialect} test database is not ready: call getDb() inside a test or hook`);
        }
        return handle;
      };
      beforeAll(async () => {
        handle = await createTestDatabase(dialect, { databaseOptions: options.databaseOptions });
      }, SETUP_TIMEOUT_MS);
      afterAll(async () => {
        await handle?.dispose();
        handle = undefined;
      }, SETUP_TIMEOUT_MS);
      fn({
        dialect,
        driver: () => current().driver,
        getDb: () => current().database,
        getUrl: () => current().url,
        reset: () => truncateAll(current().database),
      });
    });
  }
}
