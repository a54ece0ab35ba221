import { and, eq, gte, sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../testing';
import { encodedPlaceholder, transactionStatement } from './prepared';

describeEachDialect('transactionStatement()', (ctx) => {
  beforeEach(async () => {
    await ctx.reset();
  });

  it('runs with each call’s values in each transaction; built once per SQLite database, per call on Postgres', async () => {
    const database = ctx.getDb();
    const { events } = database.schema;
    let builds = 0;
    const append = transactionStatement('test_append', (tx, schema) => {
      builds += 1;
      return tx
        .insert(schema.events)
        .values({
          type: sql.placeholder('type'),
          poolId: sql.placeholder('poolId'),
          payload: sql.placeholder('payload'),
          at: sql.placeholder('at'),
        })
        .returning({ id: schema.events.id });
    });
    const retype = transactionStatement('test_retype', (tx, schema) =>
      tx
        .update(schema.events)
        .set({
          type: encodedPlaceholder(schema.events.type, 'type'),
          at: encodedPlaceholder(schema.events.at, 'at'),
        })
        .where(
          and(
            eq(schema.events.poolId, sql.placeholder('poolId')),
            gte(schema.events.at, encodedPlaceholder(schema.events.at, 'since')),
          ),
        )
        .returning({ id: schema.events.id, type: schema.events.type, at: schema.events.at }),
    );

    const early = new Date('2026-01-01T00:00:00.000Z');
    const late = new Date('2026-01-02T00:00:00.000Z');
    const ids: number[] = [];
    for (const [i, at] of [early, late, late].entries()) {
      const [row] = await database.transaction(async (tx) =>
        append(database, tx, { type: `t${i}`, poolId: 'p', payload: { i }, at }),
      );
      ids.push(Number(row?.id));
    }
    // A rolled-back transaction leaves nothing, and the statement keeps working after it.
    await expect(
      database.transaction(async (tx) => {
        await append(database, tx, { type: 'gone', poolId: 'p', payload: {}, at: late });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const moved = new Date('2026-01-03T00:00:00.000Z');
    const updated = await database.transaction(async (tx) =>
      retype(database, tx, { type: 'late', at: moved, poolId: 'p', since: late }),
    );

    expect(updated.map((row) => row.id).sort((a, b) => a - b)).toEqual(ids.slice(1));
    expect(updated.every((row) => row.type === 'late' && row.at.getTime() === moved.getTime())).toBe(true);
    const stored = await database.db.select().from(events).orderBy(events.id);
    expect(stored.map((row) => [row.type, row.payload, row.at.getTime()])).toEqual([
      ['t0', { i: 0 }, early.getTime()],
      ['late', { i: 1 }, moved.getTime()],
      ['late', { i: 2 }, moved.getTime()],
    ]);
    expect(builds).toBe(ctx.dialect === 'sqlite' ? 1 : 4);
  });
});

describeEachDialect('transactionStatement() refusals', (ctx) => {
  beforeEach(async () => {
    await ctx.reset();
  });

  it('rejects a call missing a value, naming the placeholder, and the statement keeps working', async () => {
    const database = ctx.getDb();
    const append = transactionStatement('test_append_missing', (tx, schema) =>
      tx.insert(schema.events).values({
        type: sql.placeholder('type'),
        poolId: sql.placeholder('poolId'),
        payload: sql.placeholder('payload'),
        at: sql.placeholder('at'),
      }),
    );
    const at = new Date('2026-01-01T00:00:00.000Z');
    await expect(
      database.transaction(async (tx) => append(database, tx, { type: 't', poolId: 'p', payload: {} })),
    ).rejects.toThrow('No value for placeholder "at" was provided');
    await database.transaction(async (tx) =>
      append(database, tx, { type: 't', poolId: 'p', payload: { n: 1 }, at }),
    );
    const stored = await database.db.select().from(database.schema.events);
    expect(stored.map((row) => [row.type, row.payload, row.at.getTime()])).toEqual([
      ['t', { n: 1 }, at.getTime()],
    ]);
  });
});
