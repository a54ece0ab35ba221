import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from '../database';
import type { DatabaseLogger } from '../options';
import { createPgDatabase, PG_DRIZZLE_CONFIG } from './pg-database';

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

  return createPgDatabase({
    client,
    queryMethods: ['query', 'exec'],
    drizzle: (c) => drizzle({ client: c, ...PG_DRIZZLE_CONFIG }),
    logger: options.logger,
    ping: () => client.query('select 1'),
    migrate: (txDb, migrationsFolder) => migrate(txDb, { migrationsFolder }),
    shutdown: () => client.close(),
  }).database;
}
