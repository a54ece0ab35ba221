import { type Column, is, Param, Placeholder, type SQL, sql } from 'drizzle-orm';
import * as drizzleUtils from 'drizzle-orm/utils';
import type { Database, Db, Schema } from '../database';

/** Values for a statement's `sql.placeholder()`s, by name. */
export type PlaceholderValues = Record<string, unknown>;

interface Executable<R> {
  execute(values?: PlaceholderValues): PromiseLike<R>;
}

interface Preparable<R> extends Executable<R> {
  prepare(name: string): Executable<R>;
}

/** What drizzle's better-sqlite3 prepared query keeps (not part of its typed API). */
interface SqlitePrepared {
  stmt?: {
    run(...params: unknown[]): unknown;
    raw(toggle?: boolean): { all(...params: unknown[]): unknown[] };
  };
  query?: { params?: unknown[] };
  executeMethod?: string;
  fields?: unknown[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
}

type RowMapper = (fields: unknown[], row: unknown[], joins: Record<string, boolean> | undefined) => unknown;
const mapResultRow = (drizzleUtils as unknown as { mapResultRow?: RowMapper }).mapResultRow;

/**
 * Runs a drizzle-prepared better-sqlite3 query without drizzle's per-call work: its placeholders are resolved once
 * into one getter per parameter (drizzle checks each parameter's kind on every call) and the statement is run
 * directly rather than through a query promise; rows are mapped by drizzle's own `mapResultRow`. Null when the query
 * is not of the plain shape this covers (then drizzle executes it).
 */
function directSqlite<R>(prepared: SqlitePrepared): ((values: PlaceholderValues) => R) | null {
  const { stmt, query, executeMethod, fields, joinsNotNullableMap } = prepared;
  if (stmt === undefined || query?.params === undefined || prepared.customResultMapper !== undefined) {
    return null;
  }
  const getters = query.params.map((param): ((values: PlaceholderValues) => unknown) => {
    const named = (name: string) => (values: PlaceholderValues) => {
      if (!(name in values)) {
        throw new Error(`No value for placeholder "${name}" was provided`);
      }
      return values[name];
    };
    if (is(param, Placeholder)) {
      return named(param.name);
    }
    if (is(param, Param) && is(param.value, Placeholder)) {
      const value = named(param.value.name);
      const { encoder } = param;
      return (values) => encoder.mapToDriverValue(value(values));
    }
    return () => param;
  });
  const fill = (values: PlaceholderValues) => getters.map((get) => get(values));
  if (executeMethod === 'run') {
    return (values) => stmt.run(...fill(values)) as R;
  }
  if (executeMethod === 'all' && fields !== undefined && mapResultRow !== undefined) {
    return (values) =>
      stmt
        .raw(true)
        .all(...fill(values))
        .map((row) => mapResultRow(fields, row as unknown[], joinsNotNullableMap)) as R;
  }
  return null;
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
  const prepared = new WeakMap<Db, (values: PlaceholderValues) => PromiseLike<R>>();
  return (database, tx, values) => {
    if (database.dialect !== 'sqlite') {
      return build(tx, database.schema).execute(values);
    }
    let execute = prepared.get(tx);
    if (execute === undefined) {
      const statement = build(tx, database.schema).prepare(name);
      const direct = directSqlite<R>(statement as unknown as SqlitePrepared);
      // A thrown error becomes a rejection, as from drizzle's query promise.
      execute = direct
        ? (v) => {
            try {
              return Promise.resolve(direct(v));
            } catch (error) {
              return Promise.reject(error);
            }
          }
        : (v) => statement.execute(v);
      prepared.set(tx, execute);
    }
    return execute(values);
  };
}

/**
 * A placeholder whose value is encoded by `column` (a Date to SQLite's milliseconds or Postgres's timestamp, JSON to
 * text), usable wherever drizzle accepts SQL: in `set()` and in `where` comparisons.
 */
export function encodedPlaceholder(column: Column, name: string): SQL {
  return sql`${new Param(sql.placeholder(name), column)}`;
}
