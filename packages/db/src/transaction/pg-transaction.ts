import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Db, Schema, TransactionOptions } from '../database';
import { NestedTransactionError } from '../errors';
import type { DatabaseLogger } from '../options';
import { runAfterCommit } from './after-commit';
import type { TransactionCounters } from './counters';
import type { TransactionScope } from './scope';

/**
 * The Postgres (and PGlite) transaction runner: drizzle's driver transaction at the server's default isolation
 * (READ COMMITTED), plus the same contract as SQLite: no nesting, `afterCommit` only after a successful COMMIT.
 * Read-modify-write code must lock what it reads (`forUpdate`) or use conditional updates, since concurrent
 * transactions really do run concurrently here.
 */
export async function runPgTransaction<T>(
  txDb: PgDatabase<PgQueryResultHKT, Schema>,
  scope: TransactionScope,
  fn: (tx: Db) => Promise<T>,
  options: TransactionOptions | undefined,
  logger: DatabaseLogger,
  counters: TransactionCounters,
): Promise<T> {
  scope.assertNotNested();
  let result: T;
  try {
    result = await scope.enter({ active: true }, () =>
      txDb.transaction((tx) => {
        // A savepoint sub-transaction would work here but not on SQLite: refuse it on both.
        Object.defineProperty(tx, 'transaction', {
          value: () => {
            throw new NestedTransactionError();
          },
        });
        return fn(tx as unknown as Db);
      }),
    );
  } catch (error) {
    counters.rolledBack += 1;
    throw error;
  }
  counters.committed += 1;
  counters.commits += 1;
  runAfterCommit(options?.afterCommit, logger);
  return result;
}
