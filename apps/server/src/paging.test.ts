import { createPool } from '@tradepool/api/server';
import { createTestUser, type TestUser } from '@tradepool/api/testing';
import { newId } from '@tradepool/db';
import { describeEachDialect } from '@tradepool/db/testing';
import { ManualClock } from '@tradepool/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from './test-support';

const INVESTMENTS = 250;
const WITHDRAWALS = 620;

describeEachDialect('cursor-paged lists: GET /investments and the admin withdrawals list', (suite) => {
  const clock = new ManualClock(new Date('2026-11-24T12:00:00Z'));
  let server: TestServer;
  let investor: TestUser;
  let other: TestUser;
  let admin: TestUser;

  /** Follows nextCursor from the first page to the last; returns every id in order and the number of pages. */
  async function everyPage(path: string, token: string) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await call(
        server.url,
        'GET',
        cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
        { token },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ids.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    return { ids, pages };
  }

  beforeAll(async () => {
    server = await startTestServer(suite.getDb(), { clock, env: { RATE_LIMIT_PER_MIN: '100000' } });
    investor = await createTestUser(server.services, 'INVESTOR');
    other = await createTestUser(server.services, 'INVESTOR');
    admin = await createTestUser(server.services, 'ADMIN');
    // The role changed after registration, which ended that session: sign in again as the ADMIN.
    admin.accessToken = (
      await call(server.url, 'POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: 'a-test-password' },
      })
    ).body.accessToken;
    const manager = await createTestUser(server.services, 'MANAGER');
    const at = (h: number) => new Date(clock.now().getTime() + h * 3_600_000).toISOString();
    const pool = await createPool(manager.ctx, {
      name: 'Paged',
      description: '',
      strategy: 'MOMENTUM_BTC',
      pair: 'BTC/USDT',
      riskLevel: 'LOW',
      targetAmountCents: 100_000_000,
      minInvestmentCents: 100,
      startDate: at(10),
      endDate: at(20),
      settleDate: at(30),
    });
    // Rows written directly: listing is what is under test, and several share one createdAt (ties broken by id).
    const db = suite.getDb();
    const { investments, withdrawals } = db.schema;
    const base = clock.now().getTime();
    const investmentRows = Array.from({ length: INVESTMENTS }, (_, i) => {
      const createdAt = new Date(base - Math.floor(i / 3) * 1000);
      return (i % 10 === 0 ? [investor, other] : [investor]).map((user) => ({
        id: newId(),
        userId: user.id,
        poolId: pool.id,
        amountCents: 100 + i,
        shares: 100_000_000,
        status: 'ACTIVE' as const,
        createdAt,
        updatedAt: createdAt,
      }));
    }).flat();
    const withdrawalRows = Array.from({ length: WITHDRAWALS }, (_, i) => {
      const createdAt = new Date(base - Math.floor(i / 4) * 1000);
      return {
        id: newId(),
        userId: i % 2 === 0 ? investor.id : other.id,
        amountCents: 100 + i,
        status: 'REQUESTED' as const,
        createdAt,
        updatedAt: createdAt,
      };
    });
    await db.transaction(async (tx) => {
      await tx.insert(investments).values(investmentRows);
      await tx.insert(withdrawals).values(withdrawalRows);
    });
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('GET /investments pages with cursors: every own investment once, newest first, none of anyone else', async () => {
    const first = await call(server.url, 'GET', '/api/v1/investments', { token: investor.accessToken });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(100);
    expect(typeof first.body.nextCursor).toBe('string');

    const { ids, pages } = await everyPage('/api/v1/investments?limit=7', investor.accessToken);
    expect(pages).toBe(Math.ceil(INVESTMENTS / 7));
    expect(ids).toHaveLength(INVESTMENTS);
    expect(new Set(ids).size).toBe(INVESTMENTS);

    const theirs = await everyPage('/api/v1/investments', other.accessToken);
    expect(theirs.ids).toHaveLength(INVESTMENTS / 10);
    expect(theirs.ids.some((id) => ids.includes(id))).toBe(false);
  });

  it('the admin withdrawals list no longer stops at 500: every withdrawal, each once', async () => {
    const { ids } = await everyPage('/api/v1/withdrawals?all=true&limit=200', admin.accessToken);
    expect(ids).toHaveLength(WITHDRAWALS);
    expect(new Set(ids).size).toBe(WITHDRAWALS);
    const own = await everyPage('/api/v1/withdrawals?status=REQUESTED', investor.accessToken);
    expect(own.ids).toHaveLength(WITHDRAWALS / 2);
    // An investor asking for everyone's still gets only their own.
    const sneaky = await everyPage('/api/v1/withdrawals?all=true', investor.accessToken);
    expect(sneaky.ids.sort()).toEqual(own.ids.sort());
  });

  it('refuses a forged cursor and an out-of-range limit with 400 naming the field; tRPC without input still answers', async () => {
    const forged = await call(server.url, 'GET', '/api/v1/investments?cursor=bm9wZQ', {
      token: investor.accessToken,
    });
    expect(forged.status).toBe(400);
    expect(forged.body.fields).toHaveProperty('cursor');
    for (const limit of ['0', '201', 'x']) {
      const res = await call(server.url, 'GET', `/api/v1/withdrawals?limit=${limit}`, {
        token: investor.accessToken,
      });
      expect(res.status, limit).toBe(400);
      expect(JSON.stringify(res.body)).toContain('limit');
    }
    const res = await fetch(`${server.url}/trpc/investments.list`, {
      headers: { authorization: `Bearer ${investor.accessToken}` },
    });
    const body = (await res.json()) as { result: { data: { items: unknown[]; nextCursor: string | null } } };
    expect(body.result.data.items).toHaveLength(100);
    expect(body.result.data.nextCursor).not.toBeNull();
  });
});
