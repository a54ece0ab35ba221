import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { newId } from '../id';
import { describeEachDialect } from '../testing';

describeEachDialect('schema round trip', (ctx) => {
  beforeEach(() => ctx.reset());

  it('stores and returns dates, booleans, JSON, nulls and defaults with the same values', async () => {
    const database = ctx.getDb();
    const { users, auditEntries, events } = database.schema;
    const expires = new Date('2030-01-02T03:04:05.678Z');

    const { user, audit, event } = await database.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          email: 'ada@example.test',
          passwordHash: 'h',
          displayName: 'Ada',
          subscriptionExpiresAt: expires,
          hasActiveSubscription: true,
        })
        .returning();
      const [audit] = await tx
        .insert(auditEntries)
        .values({
          action: 'user.update',
          actorId: user?.id,
          before: { role: 'INVESTOR', nested: { list: [1, 'two', null] } },
          after: null,
          prevHash: '',
          hash: newId(),
        })
        .returning();
      const [event] = await tx
        .insert(events)
        .values({
          type: 'pool:update',
          poolId: 'p1',
          payload: { status: 'ACTIVE', equityCents: 123_456_789_012 },
        })
        .returning();
      return { user, audit, event };
    });

    const [stored] = await database.db
      .select()
      .from(users)
      .where(eq(users.id, user?.id ?? ''));
    expect(stored).toEqual(user);
    expect(stored).toMatchObject({
      role: 'INVESTOR',
      tokenVersion: 0,
      totpFailures: 0,
      autoRenew: false,
      hasActiveSubscription: true,
      disabledAt: null,
      subscriptionExpiresAt: expires,
    });
    expect(stored?.createdAt).toBeInstanceOf(Date);

    const [storedAudit] = await database.db.select().from(auditEntries);
    expect(storedAudit).toEqual(audit);
    expect(storedAudit?.before).toEqual({ role: 'INVESTOR', nested: { list: [1, 'two', null] } });
    expect(storedAudit?.after).toBeNull();
    expect(storedAudit?.seq).toBe(1);

    const [storedEvent] = await database.db.select().from(events);
    expect(storedEvent).toEqual(event);
    // SQLite counts from 1; Postgres ids are the writing transaction's id * 2^16 + position (first event: + 1).
    expect(database.dialect === 'sqlite' ? storedEvent?.id : (storedEvent?.id ?? 0) % 65_536).toBe(1);
    if (database.dialect === 'postgres') {
      expect(storedEvent?.xactId).toBe(Math.floor((storedEvent?.id ?? 0) / 65_536));
    }
    expect(storedEvent?.payload.equityCents).toBe(123_456_789_012);
  });

  it('answers relational queries and counts the same way', async () => {
    const database = ctx.getDb();
    const { users, recoveryCodes } = database.schema;
    await database.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: 'rq@example.test', passwordHash: 'h', displayName: 'RQ' })
        .returning({ id: users.id });
      await tx.insert(recoveryCodes).values([
        { userId: user?.id ?? '', codeHash: 'a' },
        { userId: user?.id ?? '', codeHash: 'b' },
      ]);
    });
    const found = await database.db.query.users.findFirst({ where: eq(users.email, 'rq@example.test') });
    expect(found?.displayName).toBe('RQ');
    expect(await database.db.$count(recoveryCodes, eq(recoveryCodes.userId, found?.id ?? ''))).toBe(2);
  });

  it('hands out increasing event ids and audit seqs as numbers', async () => {
    const database = ctx.getDb();
    const { events } = database.schema;
    for (let i = 0; i < 3; i++) {
      await database.transaction(async (tx) => tx.insert(events).values({ type: 't', payload: { i } }));
    }
    const ids = (await database.db.select({ id: events.id }).from(events).orderBy(events.id)).map(
      (r) => r.id,
    );
    if (database.dialect === 'sqlite') {
      expect(ids).toEqual([1, 2, 3]);
    } else {
      // One per transaction: each is its transaction's first event, and later transactions have higher ids.
      expect(ids.map((id) => id % 65_536)).toEqual([1, 1, 1]);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(3);
    }
  });

  it('numbers several events of one transaction in order (Postgres: position in the low 16 bits)', async () => {
    const database = ctx.getDb();
    const { events } = database.schema;
    const rows = await database.transaction(async (tx) => {
      const first = await tx.insert(events).values({ type: 'a', payload: {} }).returning({ id: events.id });
      const more = await tx
        .insert(events)
        .values([
          { type: 'b', payload: {} },
          { type: 'c', payload: {} },
        ])
        .returning({ id: events.id });
      return [...first, ...more].map((r) => r.id);
    });
    expect(rows[1]).toBe((rows[0] ?? 0) + 1);
    expect(rows[2]).toBe((rows[0] ?? 0) + 2);
  });

  it('enforces unique emails and token hashes', async () => {
    const database = ctx.getDb();
    const { users } = database.schema;
    const user = { email: 'dup@example.test', passwordHash: 'h', displayName: 'Dup' };
    await database.transaction(async (tx) => tx.insert(users).values(user));
    await expect(database.transaction(async (tx) => tx.insert(users).values(user))).rejects.toThrow();
    const inserted = await database.transaction(async (tx) =>
      tx.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning(),
    );
    expect(inserted).toEqual([]);
  });

  it('updates updatedAt on update unless it is set explicitly', async () => {
    const database = ctx.getDb();
    const { users } = database.schema;
    const past = new Date('2020-01-01T00:00:00.000Z');
    const [user] = await database.transaction(async (tx) =>
      tx
        .insert(users)
        .values({
          email: 'u@example.test',
          passwordHash: 'h',
          displayName: 'U',
          createdAt: past,
          updatedAt: past,
        })
        .returning(),
    );
    const [updated] = await database.transaction(async (tx) =>
      tx
        .update(users)
        .set({ displayName: 'Renamed' })
        .where(eq(users.id, user?.id ?? ''))
        .returning(),
    );
    expect(updated?.createdAt).toEqual(past);
    expect(updated?.updatedAt.getTime()).toBeGreaterThan(past.getTime());
  });
});
