import { AsyncResource } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../database';
import type { DatabaseLogger } from '../options';
import { runAfterCommit } from './after-commit';
import type { TransactionCounters } from './counters';
import type { ScopeFrame, TransactionScope } from './scope';
import type { WriteTurns } from './write-turns';

interface TransactionJob {
  readonly kind: 'transaction';
  /** The caller's callback, bound to the caller's async context so its AsyncLocalStorage values follow it. */
  readonly run: (tx: Db, frame: ScopeFrame) => Promise<unknown>;
  readonly afterCommit: (() => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface ExclusiveJob {
  readonly kind: 'exclusive';
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Job = TransactionJob | ExclusiveJob;

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown; readonly fatal: boolean };

const SAVEPOINT = 'tp_tx';

/**
 * The SQLite transaction runner: every write goes through the one write connection, one transaction callback at a
 * time, with the transaction statements issued here rather than by drizzle (whose better-sqlite3 `transaction()` is
 * synchronous and commits before an async callback's awaited queries run).
 *
 * Group commit: when several transactions are waiting, up to `maxGroupSize` of them run one after another inside a
 * single `BEGIN IMMEDIATE … COMMIT`, each in its own SAVEPOINT. A callback that throws is rolled back to its
 * savepoint alone and its promise rejects; the others still commit. Every promise of the group settles only after
 * the single COMMIT (one fsync with `synchronous=FULL`), so a resolved transaction is durable; if that COMMIT fails,
 * every transaction of the group rejects. Draining starts on `setImmediate`, after the current I/O phase, so the
 * requests that arrived together are committed together.
 *
 * Only the callback of the running transaction may use the write handle: the SQLite transaction is shared by the
 * group, so a handle kept past its callback would write into someone else's transaction. Every callback is given the
 * same handle, so statements built on it can be prepared once per database (`transactionStatement`).
 */
export class SqliteWriteQueue {
  private readonly pending: Job[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private currentFrame: ScopeFrame | undefined;
  /** Prepared once: each transaction of a group runs two of them, and `exec` would compile them every time. */
  private readonly savepoint: BetterSqlite3.Statement<unknown[]>;
  private readonly release: BetterSqlite3.Statement<unknown[]>;

  constructor(
    private readonly client: BetterSqlite3.Database,
    private readonly tx: Db,
    private readonly scope: TransactionScope,
    private readonly maxGroupSize: number,
    private readonly logger: DatabaseLogger,
    readonly counters: TransactionCounters,
    /** Turns at the file's write lock with another thread of this process, and how long to wait for one. */
    private readonly turns: WriteTurns,
    private readonly busyTimeoutMs: number,
  ) {
    this.savepoint = client.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.release = client.prepare(`RELEASE ${SAVEPOINT}`);
  }

  /** Transactions queued behind the one running (for metrics). */
  get depth(): number {
    return this.pending.length;
  }

  /** Whether the write connection is working through the queue now. */
  get busy(): boolean {
    return this.running;
  }

  /** The frame of the callback that currently owns the write connection, if any. */
  get owner(): ScopeFrame | undefined {
    return this.currentFrame;
  }

  transaction<T>(fn: (tx: Db) => Promise<T>, afterCommit: (() => void) | undefined): Promise<T> {
    // One resource per transaction carries the caller's async context to both callbacks (AsyncResource.bind would
    // make one per callback, plus two deprecation wrappers each: 7 % of a webhook delivery's CPU).
    const caller = new AsyncResource('TradepoolTransaction');
    return new Promise<T>((resolve, reject) => {
      this.push({
        kind: 'transaction',
        run: (tx: Db, frame: ScopeFrame) =>
          caller.runInAsyncScope(() => this.scope.enter(frame, () => fn(tx))),
        afterCommit: afterCommit === undefined ? undefined : () => caller.runInAsyncScope(afterCommit),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  /** Runs `fn` alone on the write connection, outside any transaction this queue opens (migrations do their own). */
  exclusive<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.push({ kind: 'exclusive', run: fn, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Resolves once every queued job has settled. */
  whenIdle(): Promise<void> {
    if (!this.running && this.pending.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
    });
  }

  private push(job: Job): void {
    this.pending.push(job);
    if (!this.running) {
      this.running = true;
      setImmediate(() => {
        void this.drain();
      });
    }
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.pending.shift(); job !== undefined; job = this.pending.shift()) {
        try {
          if (job.kind === 'exclusive') {
            this.runExclusive(job);
          } else {
            await this.runGroup(job);
          }
        } catch (error) {
          // runGroup settles every job itself; reaching here is a bug in this class, not in a caller.
          this.logger.warn({ err: error }, 'SQLite write queue failed internally');
        }
        if (this.pending.length > 0) {
          // Let the I/O that arrived meanwhile enqueue its transactions, so they join the next group.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) {
        wake();
      }
    }
  }

  private runExclusive(job: ExclusiveJob): void {
    // The write connection does not wait inside SQLite (see `begin`); what runs alone here (migrations) issues its
    // own BEGIN, which waits for another process's migration as SQLite's busy handler lets it.
    this.client.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    try {
      job.resolve(job.run());
    } catch (error) {
      job.reject(error);
    } finally {
      this.client.pragma('busy_timeout = 0');
    }
  }

  /** BEGIN IMMEDIATE, taking turns with another thread's connection to the file (`WriteTurns`). */
  private async begin(): Promise<void> {
    let busy: unknown;
    await this.turns.begin(
      () => {
        try {
          this.client.exec('BEGIN IMMEDIATE');
          return true;
        } catch (error) {
          if (!isBusy(error)) {
            throw error;
          }
          busy = error;
          return false;
        }
      },
      this.busyTimeoutMs,
      () => busy,
    );
  }

  private nextTransaction(): TransactionJob | undefined {
    const next = this.pending[0];
    if (next?.kind !== 'transaction') {
      return undefined;
    }
    this.pending.shift();
    return next;
  }

  private async runGroup(first: TransactionJob): Promise<void> {
    try {
      await this.begin();
    } catch (error) {
      // Another process held the write lock past busy_timeout. Only this job fails; the next ones try again.
      this.counters.rolledBack += 1;
      first.reject(error);
      return;
    }

    const group: Array<{ job: TransactionJob; outcome: Outcome }> = [];
    let fatal: unknown;
    for (let job: TransactionJob | undefined = first; job !== undefined; job = this.nextTransaction()) {
      const outcome = await this.runInSavepoint(job);
      group.push({ job, outcome });
      if (!outcome.ok && outcome.fatal) {
        fatal = outcome.error;
        break;
      }
      if (group.length >= this.maxGroupSize) {
        break;
      }
    }

    const anyCommitted = group.some(({ outcome }) => outcome.ok);
    let groupError: unknown = fatal;
    if (groupError === undefined && anyCommitted) {
      try {
        this.client.exec('COMMIT');
        this.counters.commits += 1;
      } catch (error) {
        groupError = error;
      }
    }
    if (this.client.inTransaction) {
      // Reached when nothing succeeded, or after a failed COMMIT or a broken savepoint.
      this.rollback();
    }
    this.turns.released();

    for (const { job, outcome } of group) {
      if (!outcome.ok) {
        this.counters.rolledBack += 1;
        job.reject(outcome.error);
      } else if (groupError !== undefined) {
        this.counters.rolledBack += 1;
        job.reject(
          groupError === fatal
            ? new Error('Transaction rolled back: another transaction in the same commit group broke it', {
                cause: fatal,
              })
            : groupError,
        );
      } else {
        this.counters.committed += 1;
        runAfterCommit(job.afterCommit, this.logger);
        job.resolve(outcome.value);
      }
    }
  }

  /**
   * Runs one callback between SAVEPOINT and RELEASE. `fatal` means the whole SQLite transaction is gone (SQLite
   * rolls everything back on e.g. SQLITE_FULL or SQLITE_IOERR, or the callback ended it by hand), so the group's
   * earlier work is lost too.
   */
  private async runInSavepoint(job: TransactionJob): Promise<Outcome> {
    const frame: ScopeFrame = { active: true };
    this.currentFrame = frame;
    try {
      this.savepoint.run();
      const value = await job.run(this.tx, frame);
      if (!this.client.inTransaction) {
        return {
          ok: false,
          error: new Error(
            'The transaction was ended inside its callback (COMMIT or ROLLBACK issued by hand)',
          ),
          fatal: true,
        };
      }
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      if (!this.client.inTransaction) {
        return { ok: false, error, fatal: true };
      }
      try {
        this.client.exec(`ROLLBACK TO ${SAVEPOINT}`);
        this.client.exec(`RELEASE ${SAVEPOINT}`);
        return { ok: false, error, fatal: false };
      } catch {
        return { ok: false, error, fatal: true };
      }
    } finally {
      frame.active = false;
      this.currentFrame = undefined;
    }
  }

  private rollback(): void {
    try {
      this.client.exec('ROLLBACK');
    } catch (error) {
      this.logger.warn({ err: error }, 'SQLite ROLLBACK failed');
    }
  }
}

/** SQLITE_BUSY and its extended codes: the write lock is held elsewhere. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
