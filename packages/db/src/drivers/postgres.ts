import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Database } from '../database';
import type { DatabaseLogger } from '../options';
import { redactUrl } from '../url';
import { createPgDatabase, PG_DRIZZLE_CONFIG } from './pg-database';

/** Key of the session-level advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_SQL = "hashtext('tradepool:migrate')";

export interface PostgresOptions {
  readonly logger: DatabaseLogger;
  readonly poolSize: number;
}

export function createPostgresDatabase(url: string, options: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    // Without it an unreachable host makes ping() and every query hang for the OS TCP timeout.
    connectionTimeoutMillis: 10_000,
    application_name: 'tradepool',
  });
  // An idle client that loses its connection (server restart, failover) emits here; unhandled, it would crash the
  // process. The pool discards that client and opens a new one on demand.
  pool.on('error', (error) => {
    options.logger.warn({ err: error, url: redactUrl(url) }, 'Idle Postgres connection failed');
  });

  const { database, assertOpen } = createPgDatabase({
    client: pool,
    // drizzle's pool transactions check out their own client, so only pool.query is the outside-the-transaction path.
    queryMethods: ['query'],
    drizzle: (client) => drizzle({ client, ...PG_DRIZZLE_CONFIG }),
    logger: options.logger,
    ping: () => pool.query('select 1'),
    async migrate(_txDb, migrationsFolder) {
      const client = await pool.connect();
      let healthy = true;
      try {
        // Held on this one client for the whole run: a second process starting at the same moment waits here,
        // then finds everything applied.
        await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_SQL})`);
        try {
          await migrate(drizzle({ client, casing: 'snake_case' }), { migrationsFolder });
        } finally {
          try {
            await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_SQL})`);
          } catch {
            // Destroying the connection below releases the lock server-side.
            healthy = false;
          }
        }
      } finally {
        client.release(!healthy);
      }
    },
    shutdown: () => pool.end(),
  });

  return {
    ...database,

    async listenConnection() {
      assertOpen();
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: 10_000,
        application_name: 'tradepool-listen',
        // LISTEN connections sit idle for long stretches; keepalive notices a dead peer.
        keepAlive: true,
      });
      await client.connect();
      return client;
    },

    connections() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
  };
}
