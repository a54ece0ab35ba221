/** `transaction()` was called inside a transaction of the same database; pass the `tx` handle down instead. */
export class NestedTransactionError extends Error {
  override readonly name = 'NestedTransactionError';
  constructor() {
    super(
      'database.transaction() was called inside another transaction of the same database. ' +
        'Nested transactions are not supported (on SQLite the inner one would wait forever for the outer one): ' +
        'pass the `tx` handle down instead.',
    );
  }
}

/** A query handle was used where it cannot be used safely (see the message for which one and why). */
export class TransactionScopeError extends Error {
  override readonly name = 'TransactionScopeError';
}

/** The database was closed; no further queries, transactions or pings are accepted. */
export class DatabaseClosedError extends Error {
  override readonly name = 'DatabaseClosedError';
  constructor() {
    super('The database has been closed.');
  }
}
