import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../context';
import { readEvents } from '../services/events/event-store';
import { createCaller, createTestUser, type TestUser, testDeps } from '../testing';

describeEachDialect('subscription.setAutoRenew', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let deps: ServiceDeps;
  let investor: TestUser;

  beforeAll(async () => {
    deps = testDeps(suite.getDb(), { clock });
    investor = await createTestUser(deps, 'INVESTOR');
  });

  it('stores the choice with its audit entry and a subscription:update event for the user alone', async () => {
    const caller = createCaller(investor.ctx);
    expect(await caller.subscription.setAutoRenew({ autoRenew: true })).toEqual({ autoRenew: true });
    expect((await caller.subscription.status()).autoRenew).toBe(true);

    const { auditEntries } = deps.database.schema;
    const entries = await deps.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.action, 'subscription.auto_renew_changed'));
    expect(entries).toHaveLength(1);
    expect(entries[0]?.actorId).toBe(investor.id);
    expect(entries[0]?.after).toEqual({ autoRenew: true });

    const events = await readEvents(deps.database, { afterId: 0, userId: investor.id, limit: 100 });
    const updates = events.filter((e) => e.type === 'subscription:update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.payload).toMatchObject({ autoRenew: true, isSubscriptionActive: false });
  });
});
