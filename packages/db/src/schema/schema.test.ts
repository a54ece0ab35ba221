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
    expect(storedEvent?.id).toBe(1);
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
    expect(ids).toEqual([1, 2, 3]);
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
