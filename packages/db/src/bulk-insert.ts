import type BetterSqlite3 from 'better-sqlite3';
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Dialect } from './database';

/** How a column's values travel inside the JSON parameter, and how each dialect reads them back. */
export type BulkColumnType = 'text' | 'integer' | 'instant' | 'json';

export interface BulkColumn {
  /** The column's name in SQL (snake_case). */
  readonly name: string;
  readonly type: BulkColumnType;
}

/** Rows per Postgres statement: the JSON text stays a few MB at most. */
const ROWS_PER_STATEMENT = 1000;

const PG_CAST: Record<BulkColumnType, string> = {
  text: 'text',
  integer: 'bigint',
  instant: 'timestamptz',
  json: 'jsonb',
};

function encode(dialect: Dialect, type: BulkColumnType, value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (type === 'instant') {
    // The same encodings drizzle uses for these columns: epoch milliseconds on SQLite, timestamptz on Postgres.
    return dialect === 'sqlite' ? (value as Date).getTime() : (value as Date).toISOString();
  }
  if (type === 'json') {
    // As text, so the stored JSON is exactly JSON.stringify's, as drizzle would have written it.
    return JSON.stringify(value);
  }
  return value;
}

function pgStatement(table: string, columns: readonly BulkColumn[], json: string): SQL {
  const names = columns.map((column) => `"${column.name}"`).join(', ');
  const values = columns.map((column, index) => `(element->>${index})::${PG_CAST[column.type]}`).join(', ');
  return sql`${sql.raw(`insert into "${table}" (${names}) select ${values} from jsonb_array_elements(`)}${json}${sql.raw('::jsonb) with ordinality as rows(element, position) order by position')}`;
}

/** Prepared single-row inserts per SQLite connection, by SQL text: prepared once, run for every row. */
const sqliteStatements = new WeakMap<object, Map<string, BetterSqlite3.Statement>>();

function sqliteStatement(client: BetterSqlite3.Database, table: string, columns: readonly BulkColumn[]) {
  const text = `insert into "${table}" (${columns.map((column) => `"${column.name}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
  let cache = sqliteStatements.get(client);
  if (!cache) {
    cache = new Map();
    sqliteStatements.set(client, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = client.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

/**
 * Inserts many rows in the order given, without building a statement per row through the query builder (mapping and
 * binding every value that way dominated the scheduler's profile; docs/performance.md):
 * - on SQLite, one prepared single-row `INSERT` run for each row: better-sqlite3 runs in this process, so a prepared
 *   statement costs a few microseconds a row and there is no round trip to save;
 * - on Postgres, one statement per thousand rows with one bound parameter: the rows travel as one JSON array that the
 *   server unpacks (`jsonb_array_elements … with ordinality`, in order).
 * Either way column defaults evaluated per row (SQLite's AUTOINCREMENT, the events id function on Postgres) increase
 * along the list.
 *
 * `rows` hold the values in `columns` order: text and integers as they are, instants as `Date`, JSON as any value.
 * `handle` must be a transaction's handle (or the database's) of the same dialect.
 */
export async function bulkInsert(
  dialect: Dialect,
  handle: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const types = columns.map((column) => column.type);
  const encodeRow = (row: readonly unknown[]) =>
    row.map((value, index) => encode(dialect, types[index] ?? 'text', value));
  if (dialect === 'sqlite') {
    // drizzle's better-sqlite3 handle exposes its connection (here the transaction's write connection).
    const statement = sqliteStatement(
      (handle as unknown as { $client: BetterSqlite3.Database }).$client,
      table,
      columns,
    );
    for (const row of rows) {
      statement.run(encodeRow(row));
    }
    return;
  }
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await handle.execute(
      pgStatement(
        table,
        columns,
        JSON.stringify(rows.slice(start, start + ROWS_PER_STATEMENT).map(encodeRow)),
      ),
    );
  }
}
