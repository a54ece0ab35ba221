import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Database, Db, Schema } from '../database';
import { TransactionScopeError } from '../errors';
import { defaultMigrationsFolder } from '../migrations-folder';
import type { DatabaseLogger } from '../options';
import * as pgSchema from '../schema/pg';
import type { TransactionCounters } from '../transaction/counters';
import { runPgTransaction } from '../transaction/pg-transaction';
import { TransactionScope } from '../transaction/scope';
import { closeOnce, forbidDrizzleTransaction, guardClient, guardHandle } from './guard';

/** drizzle's options for both Postgres drivers. */
export const PG_DRIZZLE_CONFIG = { schema: pgSchema, casing: 'snake_case' } as const;

type PgDrizzle = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * What the two Postgres drivers (node-postgres, PGlite) share: the read handle that refuses to run inside a
 * transaction, the transaction runner and its counters, and the open/closed state. Each driver brings its client, its
 * drizzle binding, and how it pings, migrates and shuts down.
 */
export function createPgDatabase<C extends object, D extends PgDrizzle>(input: {
  client: C;
  /** The client's methods that run a query outside a transaction (guarded against use inside one). */
  queryMethods: readonly string[];
  drizzle: (client: C) => D;
  logger: DatabaseLogger;
  ping: () => Promise<unknown>;
  /** Applies the migrations in `migrationsFolder`; `txDb` is the unguarded handle. */
  migrate: (txDb: D, migrationsFolder: string) => Promise<void>;
  shutdown: () => Promise<void>;
}): { database: Database; assertOpen: () => void } {
  const scope = new TransactionScope();
  const counters: TransactionCounters = { committed: 0, rolledBack: 0, commits: 0 };
  const db = input.drizzle(guardClient(input.client, input.queryMethods, () => scope.assertOutside()));
  forbidDrizzleTransaction(
    db,
    () => new TransactionScopeError('Use database.transaction(fn), not db.transaction().'),
  );
  const txDb = input.drizzle(input.client);
  const { assertOpen, close } = closeOnce(input.shutdown);

  const database: Database = {
    dialect: 'postgres',
    db: guardHandle(db, () => scope.assertOutside()) as unknown as Db,
    schema: pgSchema as Schema,

    async transaction(fn, transactionOptions) {
      assertOpen();
      return runPgTransaction(txDb, scope, fn, transactionOptions, input.logger, counters);
    },

    async ping() {
      assertOpen();
      await input.ping();
    },

    async migrate(migrateOptions) {
      assertOpen();
      scope.assertNotNested();
      await input.migrate(txDb, migrateOptions?.migrationsFolder ?? defaultMigrationsFolder('postgres'));
    },

    close,

    stats() {
      return { ...counters };
    },
  };
  return { database, assertOpen };
}
