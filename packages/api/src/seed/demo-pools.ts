import { newId } from '@tradepool/db';
import { type PoolStatus, STRATEGY_TEMPLATES, type Strategy } from '@tradepool/domain';
import type { ServiceDeps } from '../context';
import { appendEvent, eventsTransaction } from '../services/events/event-store';
import { poolView } from '../services/pools/pool-view';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface DemoPool {
  strategy: Strategy;
  status: PoolStatus;
  /** Offsets from now, in ms. */
  start: number;
  end: number;
  settle: number;
  /** The statuses it went through to get here, after PENDING. */
  path: PoolStatus[];
  /** Shown instead of the strategy's name (two demo pools share a strategy). */
  name?: string;
  /**
   * Inserted PENDING with investors to come: the demo timeline (demo-money.ts) invests, activates, reports and settles
   * it through the real services, so its capital, ledger and NAV history are the real thing.
   */
  key?: DemoPoolKey;
}

export type DemoPoolKey = 'momentum' | 'swing' | 'neutral' | 'settled';

/**
 * Five pools, one per strategy, spread over the lifecycle; the Swing ETH one starts a minute after the server does,
 * so a newcomer watches the scheduler activate it.
 */
const DEMO_POOLS: DemoPool[] = [
  {
    strategy: 'MOMENTUM_BTC',
    status: 'ACTIVE',
    start: -3 * DAY,
    end: 27 * DAY,
    settle: 28 * DAY,
    path: ['ACTIVE'],
    key: 'momentum',
  },
  {
    strategy: 'SWING_ETH',
    status: 'PENDING',
    start: MINUTE,
    end: 21 * DAY,
    settle: 22 * DAY,
    path: [],
    key: 'swing',
  },
  {
    strategy: 'MEAN_REVERSION_SOL',
    status: 'PAUSED',
    start: -5 * DAY,
    end: 9 * DAY,
    settle: 10 * DAY,
    path: ['ACTIVE', 'PAUSED'],
  },
  {
    strategy: 'BREAKOUT_ALTCOINS',
    status: 'CLOSED',
    start: -15 * DAY,
    end: -1 * DAY,
    settle: 1 * DAY,
    path: ['ACTIVE', 'CLOSED'],
  },
  {
    strategy: 'MARKET_NEUTRAL',
    status: 'PENDING',
    start: 2 * DAY,
    end: 62 * DAY,
    settle: 63 * DAY,
    path: [],
    key: 'neutral',
  },
  {
    strategy: 'SWING_ETH',
    name: 'Swing ETH · Autumn run',
    status: 'SETTLED',
    start: -11 * DAY,
    end: -4 * DAY,
    settle: -3 * DAY,
    path: ['ACTIVE', 'CLOSED', 'SETTLING', 'SETTLED'],
    key: 'settled',
  },
];

/**
 * Seeds the demo pools once (when there are no pools at all), with their timelines and events. Returns the pools the
 * demo timeline still has to bring to life (inserted PENDING), or null when the pools were already there.
 */
export async function seedDemoPools(
  deps: ServiceDeps,
  createdById: string | null,
): Promise<Record<DemoPoolKey, string> | null> {
  const { pools, poolStatusHistory } = deps.database.schema;
  const existing = await deps.database.db.select({ id: pools.id }).from(pools).limit(1);
  if (existing.length > 0) {
    return null;
  }
  const now = deps.clock.now().getTime();
  const lived: Partial<Record<DemoPoolKey, string>> = {};
  await eventsTransaction(deps, async (tx) => {
    for (const demo of DEMO_POOLS) {
      const template = STRATEGY_TEMPLATES[demo.strategy];
      const [pool] = await tx
        .insert(pools)
        .values({
          id: newId(),
          name: demo.name ?? template.name,
          description: template.description,
          strategy: template.strategy,
          pair: template.pair,
          riskLevel: template.riskLevel,
          status: demo.key ? 'PENDING' : demo.status,
          targetAmountCents: template.targetAmountCents,
          minInvestmentCents: template.minInvestmentCents,
          startDate: new Date(now + demo.start),
          endDate: new Date(now + demo.end),
          settleDate: new Date(now + demo.settle),
          createdById,
          createdAt: new Date(now + Math.min(demo.start, 0) - DAY),
          updatedAt: new Date(now),
        })
        .returning();
      if (!pool) {
        continue;
      }
      if (demo.key) {
        lived[demo.key] = pool.id;
      }
      // The demo timeline records the later steps of the pools it brings to life, as the scheduler does them.
      const steps: PoolStatus[] = ['PENDING', ...(demo.key ? [] : demo.path)];
      for (const [i, status] of steps.entries()) {
        await tx.insert(poolStatusHistory).values({
          poolId: pool.id,
          fromStatus: i === 0 ? null : (steps[i - 1] ?? null),
          toStatus: status,
          at: new Date(now + Math.min(demo.start, 0) - DAY + i * DAY),
          actorId: null,
          actorEmail: null,
          trigger: i === 0 ? 'USER' : 'SCHEDULER',
        });
      }
      await appendEvent(deps, tx, {
        type: 'pool:update',
        poolId: pool.id,
        data: { pool: { ...poolView(pool) } },
      });
    }
  });
  const { momentum, swing, neutral, settled } = lived;
  if (!momentum || !swing || !neutral || !settled) {
    throw new Error('demo pools were not all inserted');
  }
  return { momentum, swing, neutral, settled };
}
