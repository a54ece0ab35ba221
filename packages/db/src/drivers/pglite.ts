import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database, Db, Schema } from '../database';
import { TransactionScopeError } from '../errors';
import { defaultMigrationsFolder } from '../migrations-folder';
import type { DatabaseLogger } from '../options';
import * as pgSchema from '../schema/pg';
import type { TransactionCounters } from '../transaction/counters';
import { runPgTransaction } from '../transaction/pg-transaction';
import { TransactionScope } from '../transaction/scope';
import { closeOnce, forbidDrizzleTransaction, guardClient, guardHandle } from './guard';

export interface PgliteOptions {
  readonly logger: DatabaseLogger;
}

/**
 * Postgres in-process (WASM) for tests and development without a server. PGlite is one connection: a transaction
 * holds it exclusively, so queries from outside the transaction wait for it to end. That is why `db` refuses to be
 * used inside a transaction callback: on PGlite it would wait for itself forever.
 */
export async function createPgliteDatabase(
  dataDir: string | undefined,
  options: PgliteOptions,
): Promise<Database> {
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite(dataDir);
  await client.waitReady;

  const scope = new TransactionScope();
  const counters: TransactionCounters = { committed: 0, rolledBack: 0, commits: 0 };
  const config = { schema: pgSchema, casing: 'snake_case' } as const;

  const db = drizzle({
    client: guardClient(client, ['query', 'exec'], () => scope.assertOutside()),
    ...config,
  });
  forbidDrizzleTransaction(
    db,
    () => new TransactionScopeError('Use database.transaction(fn), not db.transaction().'),
  );
  const txDb = drizzle({ client, ...config });

  const { assertOpen, close } = closeOnce(() => client.close());

  return {
    dialect: 'postgres',
    db: guardHandle(db, () => scope.assertOutside()) as unknown as Db,
    schema: pgSchema as Schema,

    async transaction(fn, transactionOptions) {
      assertOpen();
      return runPgTransaction(txDb, scope, fn, transactionOptions, options.logger, counters);
    },

    async ping() {
      assertOpen();
      await client.query('select 1');
    },

    async migrate(migrateOptions) {
      assertOpen();
      scope.assertNotNested();
      const migrationsFolder = migrateOptions?.migrationsFolder ?? defaultMigrationsFolder('postgres');
      await migrate(txDb, { migrationsFolder });
    },

    close,

    stats() {
      return { ...counters };
    },
  };
}
