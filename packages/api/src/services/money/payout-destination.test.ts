import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import type { ServiceDeps } from '../../context';
import { createCaller, createTestUser, testDeps } from '../../testing';
import { accounts, balanceOf } from './ledger';
import { deposit } from './payments';

/**
 * A withdrawal request says where to pay it: the destination is validated, stored on the withdrawal, shown to the
 * admin who pays it (in their list) and repeated in the "paid" email. It stays optional for older clients.
 */
describeEachDialect('payout destination', (suite) => {
  let deps: ServiceDeps;

  beforeAll(() => {
    deps = testDeps(suite.getDb(), { clock: new ManualClock(new Date('2026-11-28T12:00:00Z')) });
  });

  it('is stored with the request, listed for the admin, and named in the paid email', async () => {
    const investor = await createTestUser(deps, 'INVESTOR');
    const admin = await createTestUser(deps, 'ADMIN');
    await deposit(investor.ctx, 50_000);
    const mine = createCaller(investor.ctx);
    const created = await mine.withdrawals.create({
      amountCents: 20_000,
      payoutDestination: '  DE89 3704 0044 0532 0130 00, Jane Doe  ',
    });
    expect(created).toMatchObject({
      status: 'REQUESTED',
      payoutDestination: 'DE89 3704 0044 0532 0130 00, Jane Doe',
    });

    const staff = createCaller(admin.ctx);
    const listed = await staff.withdrawals.list({ all: true, status: 'REQUESTED' });
    expect(listed.items.find((item) => item.id === created.id)?.payoutDestination).toBe(
      'DE89 3704 0044 0532 0130 00, Jane Doe',
    );
    await staff.admin.withdrawals.approve({ id: created.id });
    const paid = await staff.admin.withdrawals.markPaid({ id: created.id, reference: 'BANK-REF-42' });
    expect(paid).toMatchObject({
      status: 'PAID',
      payoutDestination: 'DE89 3704 0044 0532 0130 00, Jane Doe',
    });

    const { mailOutbox } = deps.database.schema;
    const mails = await deps.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, investor.email));
    expect(mails.map((mail) => mail.text).join('\n')).toContain(
      'has been paid to DE89 3704 0044 0532 0130 00, Jane Doe (reference BANK-REF-42)',
    );
  });

  it('stays optional: a request without one works as before', async () => {
    const investor = await createTestUser(deps, 'INVESTOR');
    await deposit(investor.ctx, 10_000);
    const created = await createCaller(investor.ctx).withdrawals.create({ amountCents: 5_000 });
    expect(created.payoutDestination).toBeNull();
  });

  it('refuses a mistyped IBAN naming the field, and changes nothing', async () => {
    const investor = await createTestUser(deps, 'INVESTOR');
    await deposit(investor.ctx, 10_000);
    const attempt = createCaller(investor.ctx).withdrawals.create({
      amountCents: 5_000,
      payoutDestination: 'DE89 3704 0044 0532 0130 01',
    });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(attempt).rejects.toThrow(/payoutDestination|check digits/);
    const cash = await balanceOf(deps.database, deps.database.db, accounts.cash(investor.id).id);
    expect(cash).toBe(10_000);
    const { withdrawals } = deps.database.schema;
    const rows = await deps.database.db.select().from(withdrawals).where(eq(withdrawals.userId, investor.id));
    expect(rows).toHaveLength(0);
  });
});
