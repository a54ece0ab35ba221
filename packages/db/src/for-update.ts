/**
 * Locks the rows a select reads until the transaction ends, so a read-modify-write cannot lose a concurrent update:
 * `SELECT … FOR UPDATE` on Postgres. On SQLite the query is returned unchanged (SQLite has no row locks, and needs
 * none: the running transaction already excludes every other writer). Prefer a conditional update where one does.
 *
 * @example const [user] = await forUpdate(tx.select().from(schema.users).where(eq(schema.users.id, id)));
 */
export function forUpdate<T extends { for(strength: 'update'): unknown }>(query: T): T {
  // The SQLite select builder has no `for` method at all; that absence is how the dialect is told apart here.
  const lock: unknown = (query as { for?: unknown }).for;
  return typeof lock === 'function' ? (lock.call(query, 'update') as T) : query;
}
