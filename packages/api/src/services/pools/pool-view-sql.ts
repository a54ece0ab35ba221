import type { Database, Db } from '@tradepool/db';
import { navPerShare, type PoolStatus, PoolViewSchema } from '@tradepool/domain';
import { type Column, getTableColumns, type SQL, sql } from 'drizzle-orm';

/** The SQLite function that computes `navPerShare` as the domain does (exact BigInt arithmetic; see `navSql`). */
const NAV_FUNCTION = 'tradepool_nav_per_share';

/** Write connections that have `NAV_FUNCTION`. */
const withNavFunction = new WeakSet<object>();

/**
 * Makes `NAV_FUNCTION` available on the SQLite connection behind `tx` (once per connection). SQLite's integers are
 * 64-bit and overflow into floating point, while `navPerShare` needs equity × 10^10 exactly, so for pools whose
 * equity passes that the one computed field is the domain's own code, called by SQLite for the row. Postgres
 * computes it in `numeric`.
 */
export function prepareSqlPoolView(database: Database, tx: Db): void {
  if (database.dialect !== 'sqlite') {
    return;
  }
  const client = (tx as unknown as { $client: SqliteClient }).$client;
  if (withNavFunction.has(client)) {
    return;
  }
  client.function(NAV_FUNCTION, { deterministic: true }, (equityCents: unknown, totalShares: unknown) =>
    navPerShare(Number(equityCents), Number(totalShares)),
  );
  withNavFunction.add(client);
}

interface SqliteClient {
  function(name: string, options: { deterministic: boolean }, fn: (...args: unknown[]) => unknown): unknown;
}

/** A stored instant as `Date.prototype.toISOString()` writes it (UTC, milliseconds, `Z`), or null. */
function isoSql(database: Database, column: Column): SQL {
  if (database.dialect === 'sqlite') {
    // Epoch milliseconds as seconds: SQLite rounds them back to whole milliseconds, and `%f` writes seconds with three
    // decimals, so this is exact for every instant of years 0000–9999 (the only ones an ISO date of ours can hold).
    return sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;
  }
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Equity in cents up to which equity × 10^10 fits SQLite's 64-bit integers. */
const SQLITE_EXACT_EQUITY = 922_337_203;

/** `navPerShare(equityCents, totalShares)` of the domain: equity / shares in millionths, rounded down, 6 places. */
function navSql(database: Database): SQL {
  const { pools } = database.schema;
  if (database.dialect === 'sqlite') {
    // In integers while equity × 10^10 fits 64 bits (pools below $9.2M), through the domain's function above that.
    const micros = sql`(${pools.equityCents} * 10000000000 / ${pools.totalShares})`;
    return sql`(case when ${pools.totalShares} <= 0 then '1.000000' when ${pools.equityCents} between 0 and ${sql.raw(String(SQLITE_EXACT_EQUITY))} then (${micros} / 1000000) || '.' || substr('00000' || (${micros} % 1000000), -6) else ${sql.raw(NAV_FUNCTION)}(${pools.equityCents}, ${pools.totalShares}) end)`;
  }
  // numeric is exact at any size; div() truncates toward zero as BigInt division does.
  return sql`(select case when micros < 0 then '-' else '' end || div(abs(micros), 1000000)::text || '.' || lpad(mod(abs(micros), 1000000)::text, 6, '0') from (select case when ${pools.totalShares} <= 0 then 1000000::numeric else div(${pools.equityCents}::numeric * 10000000000, ${pools.totalShares}) end as micros) as nav)`;
}

/** The fields of `PoolViewSchema`, in its order, each with its SQL from the stored row of `pools` (`status` bound). */
function poolViewFields(
  database: Database,
  status: PoolStatus,
  updatedAt?: Date,
): { field: string; value: SQL }[] {
  const columns = getTableColumns(database.schema.pools) as Record<string, Column>;
  return Object.keys(PoolViewSchema.shape).map((field) => {
    const column = columns[field];
    let value: SQL;
    if (field === 'status') {
      value = sql`cast(${status} as text)`;
    } else if (field === 'updatedAt' && updatedAt) {
      value = sql`cast(${updatedAt.toISOString()} as text)`;
    } else if (field === 'navPerShare') {
      value = navSql(database);
    } else if (column?.dataType === 'date') {
      value = isoSql(database, column);
    } else if (column?.dataType === 'string' || column?.dataType === 'number') {
      value = sql`${column}`;
    } else {
      throw new Error(`poolViewJsonSql: no SQL for the pool view field "${field}"`);
    }
    return { field, value };
  });
}

function jsonObjectSql(database: Database, fields: { field: string; value: SQL }[]): SQL {
  const build = database.dialect === 'sqlite' ? 'json_object' : 'jsonb_build_object';
  const pairs = fields.map(({ field, value }) => sql`${sql.raw(`'${field}'`)}, ${value}`);
  return sql`${sql.raw(build)}(${sql.join(pairs, sql`, `)})`;
}

/**
 * The `pool` of a `pool:update` event built by the database from the stored row of `pools`, field by field in
 * `PoolViewSchema`'s order, equal to `poolView(row)` with `status` replaced by the one given: the same JSON text on
 * SQLite (json_object keeps the order and writes what JSON.stringify writes), the same jsonb value on Postgres.
 * `updatedAt`, when given, must be the instant stored in the rows' `updated_at` (the one the statuses were written at):
 * its ISO text is then bound once instead of formatted for each row. A field `PoolViewSchema` gains must be a column
 * of text, integer or instant, or this throws (and the tests that compare with `poolView` say what to add).
 */
export function poolViewJsonSql(database: Database, status: PoolStatus, updatedAt?: Date): SQL {
  return jsonObjectSql(database, poolViewFields(database, status, updatedAt));
}

/**
 * SQLite only: `poolViewJsonSql` in two JSON objects, the fields before `status` and those after it, so a pool that
 * makes several moves in one batch has its view (five instants, the NAV) built once, and each move's event splices its
 * status in with `poolUpdatePayloadSql`. The spliced text is byte for byte what `json_object` writes for the whole.
 */
export function poolViewSplitSql(database: Database, updatedAt: Date): { before: SQL; after: SQL } {
  if (database.dialect !== 'sqlite') {
    throw new Error('poolViewSplitSql: SQLite only');
  }
  const fields = poolViewFields(database, 'PENDING', updatedAt);
  const at = fields.findIndex((f) => f.field === 'status');
  if (at <= 0 || at >= fields.length - 1) {
    // The splice needs a field on each side of status (the view starts with id and ends with updatedAt).
    throw new Error('poolViewSplitSql: status must be neither the first nor the last field of the pool view');
  }
  return {
    before: jsonObjectSql(database, fields.slice(0, at)),
    after: jsonObjectSql(database, fields.slice(at + 1)),
  };
}

/**
 * SQLite only: the `pool:update` payload `{"pool": <view with status = to>, "previousStatus": from}` as the text
 * `json_object('pool', poolViewJsonSql(…), 'previousStatus', from)` writes, from the two halves of `poolViewSplitSql`
 * (stored JSON object texts): the first without its closing brace, the status, the second without its opening one.
 */
export function poolUpdatePayloadSql(before: SQL, after: SQL, to: SQL, from: SQL): SQL {
  return sql`'{"pool":' || substr(${before}, 1, length(${before}) - 1) || ',"status":' || json_quote(cast(${to} as text)) || ',' || substr(${after}, 2) || ',"previousStatus":' || json_quote(cast(${from} as text)) || '}'`;
}
