import { asc } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { bulkInsert } from './bulk-insert';
import { describeEachDialect } from './testing';

describeEachDialect('bulkInsert', (ctx) => {
  beforeEach(async () => {
    await ctx.reset();
  });

  it('stores every row in the order given, with values read back exactly as the query builder stores them', async () => {
    const database = ctx.getDb();
    const { events } = database.schema;
    const at = new Date('2026-11-28T12:34:56.789Z');
    // More rows than one statement takes, so the chunks' order is checked too; payloads that JSON-in-SQL could mangle.
    const payloads = Array.from({ length: 2_345 }, (_, i) => ({
      i,
      text: i % 7 === 0 ? 'quote " backslash \\ newline \n unicode € 🚀' : `row ${i}`,
      nested: { list: [i, null, true, 1.5], empty: {} },
      big: 9_007_199_254_740_991,
    }));
    await database.transaction((tx) =>
      bulkInsert(
        database.dialect,
        tx,
        'events',
        [
          { name: 'type', type: 'text' },
          { name: 'pool_id', type: 'text' },
          { name: 'user_id', type: 'text' },
          { name: 'payload', type: 'json' },
          { name: 'at', type: 'instant' },
        ],
        payloads.map((payload, i) => ['pool:update', i % 2 === 0 ? `pool-${i}` : null, null, payload, at]),
      ),
    );
    const rows = await database.db.select().from(events).orderBy(asc(events.id));
    expect(rows).toHaveLength(payloads.length);
    rows.forEach((row, i) => {
      expect(row.payload).toEqual(payloads[i]);
      expect(row.poolId).toBe(i % 2 === 0 ? `pool-${i}` : null);
      expect(row.userId).toBeNull();
      expect(row.at.toISOString()).toBe(at.toISOString());
    });
  });

  it('inserts nothing, and runs no statement, for no rows', async () => {
    const database = ctx.getDb();
    await database.transaction((tx) =>
      bulkInsert(database.dialect, tx, 'no_such_table', [{ name: 'id', type: 'text' }], []),
    );
  });
});
