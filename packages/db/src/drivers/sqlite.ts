import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database, Db, Schema } from '../database';
import { NestedTransactionError, TransactionScopeError } from '../errors';
import { defaultMigrationsFolder } from '../migrations-folder';
import type { DatabaseLogger } from '../options';
import * as sqliteSchema from '../schema/sqlite';
import type { TransactionCounters } from '../transaction/counters';
import { TransactionScope } from '../transaction/scope';
import { SqliteWriteQueue } from '../transaction/sqlite-write-queue';
import { WriteTurns } from '../transaction/write-turns';
import { closeOnce, forbidDrizzleTransaction, guardClient, guardHandle } from './guard';
import { SqliteCheckpointer, WAL_PAGES_BOUND, type WalCheckpoints } from './sqlite-checkpointer';

const BUSY_TIMEOUT_MS = 5000;

/** Statements kept prepared per connection (the least recently used one is dropped beyond this). */
const STATEMENT_CACHE_SIZE = 500;

export interface SqliteOptions {
  readonly logger: DatabaseLogger;
  readonly maxGroupSize: number;
  readonly walCheckpoints: WalCheckpoints;
  /**
   * Another thread's database on this file shares its turns at the write lock (its `writeTurns`): this one then
   * defers to it. Without, this database's thread is the one that goes first when it waits (see `WriteTurns`).
   */
  readonly writeTurns?: SharedArrayBuffer | undefined;
}

/** SQLite's own default for `wal_autocheckpoint`, restored if the checkpointer thread stops. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

function applyPragmas(client: BetterSqlite3.Database, writer: boolean): void {
  if (writer) {
    // WAL is a property of the file: set once by the writer, the read-only connection inherits it.
    const mode = client.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`SQLite refused WAL mode (journal_mode is "${String(mode)}")`);
    }
  }
  // FULL: a COMMIT is on disk when it returns, so an acknowledged write survives power loss.
  client.pragma('synchronous = FULL');
  client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  client.pragma('foreign_keys = ON');
}

/**
 * The connection with `prepare` answered from a cache of statements keyed by their SQL text: drizzle prepares every
 * query it runs anew, and better-sqlite3's preparing was an eighth of a webhook delivery's CPU. A statement handed out
 * again is reset to better-sqlite3's defaults (drizzle switches readers to `raw()` mode for its own mapping); one still
 * iterating (`busy`) is not shared, a fresh one is prepared instead.
 */
export function cachingStatements(
  client: BetterSqlite3.Database,
  size = STATEMENT_CACHE_SIZE,
): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  const prepare = (source: string): BetterSqlite3.Statement<unknown[]> => {
    const cached = cache.get(source);
    if (cached !== undefined) {
      cache.delete(source);
      if (!cached.busy) {
        cache.set(source, cached);
        if (cached.reader) {
          cached.raw(false);
          cached.pluck(false);
          cached.expand(false);
        }
        return cached;
      }
    }
    const statement = client.prepare(source);
    cache.set(source, statement);
    if (cache.size > size) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        cache.delete(oldest);
      }
    }
    return statement;
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'prepare') {
        return prepare;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * SQLite on one file through two connections: a write connection owned by the transaction runner, and a read-only
 * connection for `db`, which under WAL sees the last committed state without waiting for writers.
 */
export function createSqliteDatabase(path: string, options: SqliteOptions): Database {
  mkdirSync(dirname(path), { recursive: true });
  const writeClient = new BetterSqlite3(path);
  const turns =
    options.writeTurns === undefined
      ? new WriteTurns('server')
      : new WriteTurns('deferring', options.writeTurns);
  let readClient: BetterSqlite3.Database;
  try {
    applyPragmas(writeClient, true);
    // The queue tries BEGIN IMMEDIATE without waiting and waits for its turn asynchronously (see `WriteTurns`).
    writeClient.pragma('busy_timeout = 0');
    if (options.walCheckpoints !== 'commit') {
      writeClient.pragma(`wal_autocheckpoint = ${WAL_PAGES_BOUND}`);
    }
    readClient = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    applyPragmas(readClient, false);
  } catch (error) {
    writeClient.close();
    throw error;
  }
  const checkpointer =
    options.walCheckpoints === 'thread'
      ? new SqliteCheckpointer(path, options.logger, () => {
          writeClient.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
        })
      : null;

  const scope = new TransactionScope();
  const counters: TransactionCounters = { committed: 0, rolledBack: 0, commits: 0 };
  const config = { schema: sqliteSchema, casing: 'snake_case' } as const;

  const db = drizzle({
    client: guardClient(cachingStatements(readClient), ['prepare', 'exec'], () => scope.assertOutside()),
    ...config,
  });
  forbidDrizzleTransaction(
    db,
    () => new TransactionScopeError('Use database.transaction(fn), not db.transaction().'),
  );

  const tx = drizzle({
    client: guardClient(cachingStatements(writeClient), ['prepare', 'exec'], () => {
      const owner = writeQueue.owner;
      if (owner === undefined || scope.current() !== owner) {
        throw new TransactionScopeError(
          'A transaction handle was used outside its own transaction callback (kept after the callback ' +
            'returned, or passed to code running outside it). Use it only inside the callback it was given to.',
        );
      }
    }),
    ...config,
  });
  forbidDrizzleTransaction(tx, () => new NestedTransactionError());
  const writeQueue = new SqliteWriteQueue(
    writeClient,
    tx as unknown as Db,
    scope,
    options.maxGroupSize,
    options.logger,
    counters,
    turns,
    BUSY_TIMEOUT_MS,
  );
  // Migrations run drizzle's own synchronous migrator, which must see the connection unguarded.
  const migrator = drizzle({ client: writeClient, ...config });

  const { assertOpen, close } = closeOnce(async () => {
    await writeQueue.whenIdle();
    await checkpointer?.close();
    readClient.close();
    writeClient.close();
  });

  return {
    dialect: 'sqlite',
    file: resolve(path),
    walCheckpoints: options.walCheckpoints,
    writeTurns: turns.buffer,
    ...(checkpointer === null ? {} : { onCheckpoint: (fn) => checkpointer.onCheckpoint(fn) }),
    db: guardHandle(db, () => scope.assertOutside()) as unknown as Db,
    schema: sqliteSchema as unknown as Schema,

    async transaction(fn, transactionOptions) {
      assertOpen();
      scope.assertNotNested();
      return writeQueue.transaction(fn, transactionOptions?.afterCommit);
    },

    async ping() {
      assertOpen();
      readClient.prepare('select 1').get();
    },

    async migrate(migrateOptions) {
      assertOpen();
      scope.assertNotNested();
      const migrationsFolder = migrateOptions?.migrationsFolder ?? defaultMigrationsFolder('sqlite');
      await writeQueue.exclusive(() => {
        try {
          migrate(migrator, { migrationsFolder });
        } catch (error) {
          // drizzle reads the applied migrations before its BEGIN, so a second process migrating the same file at
          // the same moment fails on "table already exists". Once the first has committed, a retry is a no-op;
          // a genuine failure fails again and is reported.
          migrate(migrator, { migrationsFolder });
          options.logger.warn(
            { firstError: error instanceof Error ? error.message.split('\n')[0] : String(error) },
            'SQLite migration raced another process and succeeded on retry',
          );
        }
      });
    },

    close,

    stats() {
      return { ...counters };
    },

    connections() {
      return { total: 1, idle: writeQueue.busy ? 0 : 1, waiting: writeQueue.depth };
    },
  };
}
