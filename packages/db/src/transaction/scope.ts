import { AsyncLocalStorage } from 'node:async_hooks';
import { NestedTransactionError, TransactionScopeError } from '../errors';

/** One running transaction callback. `active` turns false when the callback settles, even if work it spawned lives on. */
export interface ScopeFrame {
  active: boolean;
}

/**
 * Tracks, per database, whether the current async context is inside one of its transaction callbacks. This is what
 * makes a nested `transaction()` fail fast instead of deadlocking behind its own outer transaction, and what lets
 * the handles refuse to be used from the wrong side of a transaction boundary.
 */
export class TransactionScope {
  private readonly storage = new AsyncLocalStorage<ScopeFrame>();

  /** The frame of the transaction callback running in this async context, if it is still running. */
  current(): ScopeFrame | undefined {
    const frame = this.storage.getStore();
    return frame?.active ? frame : undefined;
  }

  assertNotNested(): void {
    if (this.current() !== undefined) {
      throw new NestedTransactionError();
    }
  }

  /** Runs `fn` as a transaction callback; the frame is deactivated when it settles. */
  async enter<T>(frame: ScopeFrame, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.storage.run(frame, fn);
    } finally {
      frame.active = false;
    }
  }

  /** Guard for the outside-of-transaction handle (`database.db`). */
  assertOutside(): void {
    if (this.current() !== undefined) {
      throw new TransactionScopeError(
        'database.db was used inside a database.transaction() callback: use the `tx` handle passed to the ' +
          'callback. Outside reads do not see the transaction’s own writes, and on PGlite they would wait for it ' +
          'forever.',
      );
    }
  }
}
