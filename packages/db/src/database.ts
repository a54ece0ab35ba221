import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { CheckpointProgress, WalCheckpoints } from './drivers/sqlite-checkpointer';
import type * as pgSchema from './schema/pg';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The schema as services see it. Services are written once against the Postgres table types; on SQLite the same
 * property holds the SQLite tables (same names, columns and TypeScript value types), so one code path serves both.
 * Always take tables from `database.schema`, never import a dialect's tables directly.
 */
export type Schema = typeof pgSchema;

/** A query handle: the read handle outside transactions, the transaction handle inside one. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface TransactionOptions {
  /** Runs after the transaction has committed (never on rollback): where the event bus is woken. */
  readonly afterCommit?: () => void;
}

/** Transaction counters since the database was created. */
export interface TransactionStats {
  /** Transactions that committed. */
  readonly committed: number;
  /** Transactions that rolled back (their callback threw, or their group's commit failed). */
  readonly rolledBack: number;
  /** COMMIT statements issued: below `committed` when group commit let several transactions share one fsync. */
  readonly commits: number;
}

/** A dedicated Postgres connection for LISTEN (a `pg.Client`, outside the pool). */
export interface NotificationConnection {
  query(text: string, values?: unknown[]): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  end(): Promise<void>;
}

export interface Database {
  readonly dialect: Dialect;
  /** SQLite: the database file's absolute path (another connection, e.g. a worker thread's, may open it too). */
  readonly file?: string;
  /** SQLite: who checkpoints the WAL (see `WalCheckpoints`). */
  readonly walCheckpoints?: WalCheckpoints;
  /**
   * SQLite: this database's turns at the write lock, for a worker thread's database on the same file to share
   * (`CreateDatabaseOptions.writeTurns`).
   */
  readonly writeTurns?: SharedArrayBuffer;
  /** SQLite with its own checkpointer thread: calls `fn` after each checkpoint that copied pages; returns its stop. */
  onCheckpoint?(fn: (progress: CheckpointProgress) => void): () => void;
  /**
   * For reads outside a transaction. On SQLite a separate read-only connection that sees the last committed state.
   * Using it inside a `transaction` callback throws (use `tx`); so does `db.transaction()` (use `transaction`).
   */
  readonly db: Db;
  readonly schema: Schema;
  /**
   * Runs `fn` in one transaction with the same async semantics on both dialects: commits when `fn` resolves, rolls
   * back when it throws (the error is rethrown). On SQLite writers are serialised through one write connection
   * (BEGIN IMMEDIATE) and several waiting transactions may share one commit, each in its own SAVEPOINT. Calling
   * `transaction` again inside `fn` throws: pass `tx` down instead.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Resolves when the database answers a trivial query; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Applies the committed migrations of this dialect (idempotent; serialised across processes on Postgres). */
  migrate(options?: { migrationsFolder?: string }): Promise<void>;
  /** Idempotent. On SQLite waits for queued transactions to finish first. */
  close(): Promise<void>;
  /** Transaction counters, for benchmarks and diagnostics. */
  stats?(): TransactionStats;
  /**
   * Postgres (not PGlite): opens a new connection outside the pool, for LISTEN. The caller owns it (reconnects,
   * ends it). Absent where one process is the only writer (SQLite, PGlite).
   */
  listenConnection?(): Promise<NotificationConnection>;
  /**
   * Connection counts for metrics: the Postgres pool's open (`total`), `idle` and `waiting` (queries queued for a
   * free connection). On SQLite: the one write connection (busy or idle) and the transactions queued behind it.
   */
  connections?(): { total: number; idle: number; waiting: number };
}
