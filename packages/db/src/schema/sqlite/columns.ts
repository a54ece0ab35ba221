import { integer, text } from 'drizzle-orm/sqlite-core';
import { newId } from '../../id';

/** Text primary key generated in application code, so both dialects get the same sortable ids. */
export const idColumn = () => text().primaryKey().$defaultFn(newId);

/** Instants are `Date` on both dialects; SQLite stores Unix milliseconds, the precision JavaScript has. */
export const instant = () => integer({ mode: 'timestamp_ms' });

/** Defaults come from the process clock so both dialects agree; services with an injected clock set them explicitly. */
export const createdAt = () =>
  instant()
    .notNull()
    .$defaultFn(() => new Date());

export const updatedAt = () =>
  instant()
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());
