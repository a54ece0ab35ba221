import { type Column, Param, type SQL, sql } from 'drizzle-orm';
import type { Database, Db, Schema } from '../database';

/** Values for a statement's `sql.placeholder()`s, by name. */
export type PlaceholderValues = Record<string, unknown>;

interface Executable<R> {
  execute(values?: PlaceholderValues): PromiseLike<R>;
}

interface Preparable<R> extends Executable<R> {
  prepare(name: string): Executable<R>;
}

/**
 * A statement for the hot write paths, run inside `database.transaction()` callbacks with `sql.placeholder()` values.
 *
 * On SQLite every transaction callback is given the same write handle (the write queue's), so the query is built by
 * drizzle and prepared by better-sqlite3 once per database and then only executed: building queries and preparing
 * statements anew for every call was 40 % of a webhook delivery's CPU. On Postgres (and PGlite) each transaction has
 * its own handle and a drizzle prepared query is bound to the handle it was built on, so the same query is built per
 * call there, as an unprepared query would be.
 *
 * `build` runs once per SQLite database, so every value that changes between calls must be a placeholder, including
 * the columns drizzle would fill by itself at build time: `$defaultFn` columns of an insert and `$onUpdateFn` columns
 * of an update (e.g. `updatedAt`) must be given explicitly. A bare `sql.placeholder()` in a `where` is not encoded by
 * its column (fine for text); `encodedPlaceholder` is, and fits where drizzle's types want a value (`set()`).
 */
export function transactionStatement<R>(
  name: string,
  build: (tx: Db, schema: Schema) => Preparable<R>,
): (database: Database, tx: Db, values: PlaceholderValues) => PromiseLike<R> {
  const prepared = new WeakMap<Db, Executable<R>>();
  return (database, tx, values) => {
    if (database.dialect !== 'sqlite') {
      return build(tx, database.schema).execute(values);
    }
    let statement = prepared.get(tx);
    if (statement === undefined) {
      statement = build(tx, database.schema).prepare(name);
      prepared.set(tx, statement);
    }
    return statement.execute(values);
  };
}

/**
 * A placeholder whose value is encoded by `column` (a Date to SQLite's milliseconds or Postgres's timestamp, JSON to
 * text), usable wherever drizzle accepts SQL: in `set()` and in `where` comparisons.
 */
export function encodedPlaceholder(column: Column, name: string): SQL {
  return sql`${new Param(sql.placeholder(name), column)}`;
}
