import { text, timestamp } from 'drizzle-orm/pg-core';
import { newId } from '../../id';

/** Text primary key generated in application code, so both dialects get the same sortable ids. */
export const idColumn = () => text().primaryKey().$defaultFn(newId);

/** Instants are `Date` on both dialects; Postgres keeps them as timestamptz so the time zone is never ambiguous. */
export const instant = () => timestamp({ withTimezone: true, mode: 'date' });

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
