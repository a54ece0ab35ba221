import type { Database } from './database';
import { createPgliteDatabase } from './drivers/pglite';
import { createPostgresDatabase } from './drivers/postgres';
import { createSqliteDatabase } from './drivers/sqlite';
import { type CreateDatabaseOptions, consoleLogger } from './options';
import { parseDatabaseUrl } from './url';

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_MAX_GROUP_SIZE = 64;

/**
 * Opens the database a URL names: `file:PATH` → SQLite (WAL, synchronous=FULL), `postgres://` or `postgresql://` →
 * a node-postgres pool, `pglite:` or `pglite:PATH` → PGlite in-process. Does not migrate (call `migrate()`); a
 * Postgres server is only contacted by the first query, so use `ping()` to check it is reachable.
 */
export async function createDatabase(url: string, options: CreateDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url, options.cwd);
  const logger = options.logger ?? consoleLogger;
  switch (target.kind) {
    case 'sqlite': {
      const maxGroupSize = options.maxGroupSize ?? DEFAULT_MAX_GROUP_SIZE;
      if (!Number.isSafeInteger(maxGroupSize) || maxGroupSize < 1) {
        throw new Error(`maxGroupSize must be a positive integer, got ${maxGroupSize}`);
      }
      return createSqliteDatabase(target.path, {
        logger,
        maxGroupSize,
        walCheckpoints: options.walCheckpoints ?? 'commit',
        writeTurns: options.writeTurns,
      });
    }
    case 'postgres':
      return createPostgresDatabase(target.url, { logger, poolSize: options.poolSize ?? DEFAULT_POOL_SIZE });
    case 'pglite':
      return createPgliteDatabase(target.dataDir, { logger });
  }
}
