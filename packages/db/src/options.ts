import type { WalCheckpoints } from './drivers/sqlite-checkpointer';

/** The slice of a pino-style logger the database uses. */
export interface DatabaseLogger {
  warn(obj: object, msg: string): void;
}

export interface CreateDatabaseOptions {
  /** Where driver warnings and failing afterCommit callbacks are reported. Defaults to `console.warn`. */
  readonly logger?: DatabaseLogger;
  /** Postgres: the maximum number of pooled connections (default 10). */
  readonly poolSize?: number;
  /** Base directory for relative `file:` and `pglite:` paths (default: the process working directory). */
  readonly cwd?: string;
  /**
   * SQLite: the most waiting transactions committed together in one BEGIN IMMEDIATE…COMMIT (default 64). 1 turns
   * group commit off: one fsync per transaction.
   */
  readonly maxGroupSize?: number;
  /**
   * SQLite: who checkpoints the WAL (default `commit`, SQLite's own: the COMMIT that finds it over 1,000 pages).
   * `thread` starts a checkpointer thread for this file; `elsewhere` says another database in the process runs one.
   */
  readonly walCheckpoints?: WalCheckpoints;
  /**
   * SQLite, in a worker thread: the server thread's database's `writeTurns`. This connection then waits while the
   * server thread waits for the write lock, so the server thread gets it at this one's next release instead of
   * sleeping in SQLite's busy handler meanwhile (see packages/db/src/transaction/write-turns.ts).
   */
  readonly writeTurns?: SharedArrayBuffer;
}

export const consoleLogger: DatabaseLogger = {
  warn(obj, msg) {
    console.warn(`[@tradepool/db] ${msg}`, obj);
  },
};
