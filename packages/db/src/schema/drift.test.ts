import { type Column, getTableName, is, type SQL, Table } from 'drizzle-orm';
import {
  getTableConfig as getPgTableConfig,
  type PgTable,
  pgTable,
  text as pgText,
} from 'drizzle-orm/pg-core';
import {
  getTableConfig as getSqliteTableConfig,
  type SQLiteTable,
  sqliteTable,
  text as sqliteText,
} from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as pgSchema from './pg';
import * as sqliteSchema from './sqlite';

/** Everything about a table that must agree across dialects, in a dialect-free, comparable form. */
interface TableShape {
  name: string;
  columns: Record<string, { notNull: boolean; hasDefault: boolean; primary: boolean; unique: string | null }>;
  primaryKeys: string[][];
  uniqueConstraints: Array<{ name: string; columns: string[] }>;
  indexes: Array<{ name: string; unique: boolean; columns: string[] }>;
  foreignKeys: Array<{
    name: string;
    columns: string[];
    foreignTable: string;
    foreignColumns: string[];
    onDelete: string;
    onUpdate: string;
  }>;
}

type TableConfig = ReturnType<typeof getPgTableConfig> | ReturnType<typeof getSqliteTableConfig>;

const columnName = (column: Column | SQL | { name: string }): string =>
  'name' in column ? column.name : '<expression>';

const byName = <T extends { name: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));

function shapeOf(config: TableConfig): TableShape {
  const columns: TableShape['columns'] = {};
  for (const column of config.columns) {
    columns[column.name] = {
      notNull: column.notNull,
      hasDefault: column.hasDefault,
      primary: column.primary,
      unique: column.isUnique ? (column.uniqueName ?? '<unnamed>') : null,
    };
  }
  return {
    name: config.name,
    columns,
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map(columnName)),
    uniqueConstraints: byName(
      config.uniqueConstraints.map((u) => ({
        name: u.getName() ?? '<unnamed>',
        columns: u.columns.map(columnName),
      })),
    ),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name ?? '<unnamed>',
        unique: index.config.unique,
        columns: index.config.columns.map((c) => columnName(c as Column | SQL)),
      })),
    ),
    foreignKeys: byName(
      config.foreignKeys.map((fk) => {
        const reference = fk.reference();
        return {
          name: fk.getName(),
          columns: reference.columns.map(columnName),
          foreignTable: getTableName(reference.foreignTable),
          foreignColumns: reference.foreignColumns.map(columnName),
          onDelete: fk.onDelete ?? 'no action',
          onUpdate: fk.onUpdate ?? 'no action',
        };
      }),
    ),
  };
}

function tablesOf(schema: Record<string, unknown>): Record<string, Table> {
  return Object.fromEntries(
    Object.entries(schema).filter((entry): entry is [string, Table] => is(entry[1], Table)),
  );
}

const pgTables = tablesOf(pgSchema);
const sqliteTables = tablesOf(sqliteSchema);

describe('schema drift between SQLite and Postgres', () => {
  it('exports the same tables under the same names', () => {
    expect(Object.keys(sqliteTables).sort()).toEqual(Object.keys(pgTables).sort());
    expect(Object.keys(pgTables).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(pgTables).sort())('%s has the same shape in both dialects', (key) => {
    const pg = shapeOf(getPgTableConfig(pgTables[key] as PgTable));
    const sqlite = shapeOf(getSqliteTableConfig(sqliteTables[key] as SQLiteTable));
    expect(sqlite).toEqual(pg);
  });

  it('sees the indexes and foreign keys it compares (the comparison is not vacuous)', () => {
    const users = shapeOf(getPgTableConfig(pgSchema.users));
    expect(users.indexes).toEqual([{ name: 'users_email_unique', unique: true, columns: ['email'] }]);
    expect(users.columns.id).toEqual({ notNull: true, hasDefault: true, primary: true, unique: null });
    expect(users.columns.disabledAt?.notNull).toBe(false);
    const codes = shapeOf(getSqliteTableConfig(sqliteSchema.recoveryCodes));
    expect(codes.foreignKeys).toEqual([
      {
        // drizzle names foreign keys from the TypeScript keys; drizzle-kit applies snake_case in the SQL.
        name: 'recovery_codes_userId_users_id_fk',
        columns: ['userId'],
        foreignTable: 'users',
        foreignColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: 'no action',
      },
    ]);
    const events = shapeOf(getSqliteTableConfig(sqliteSchema.events));
    expect(events.indexes.map((i) => i.columns)).toEqual([
      ['poolId', 'id'],
      ['userId', 'id'],
    ]);
  });

  it('detects a difference', () => {
    const pg = pgTable('things', { id: pgText().primaryKey(), note: pgText() });
    const sqlite = sqliteTable('things', { id: sqliteText().primaryKey(), note: sqliteText().notNull() });
    expect(shapeOf(getSqliteTableConfig(sqlite))).not.toEqual(shapeOf(getPgTableConfig(pg)));
  });

  it('gives every column the same TypeScript value type (checked by tsc)', () => {
    type Selects<S> = { [K in keyof S]: S[K] extends Table ? S[K]['$inferSelect'] : never };
    expectTypeOf<Selects<typeof sqliteSchema>>().toEqualTypeOf<Selects<typeof pgSchema>>();
    // Services build inserts against the Postgres types; SQLite must accept every one of them.
    type Inserts<S> = { [K in keyof S]: S[K] extends Table ? S[K]['$inferInsert'] : never };
    expectTypeOf<Inserts<typeof pgSchema>>().toExtend<Inserts<typeof sqliteSchema>>();
  });
});
