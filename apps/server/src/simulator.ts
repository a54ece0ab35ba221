import { randomUUID } from 'node:crypto';
import {
  listModelPools,
  type ModelPool,
  type ServiceDeps,
  secretKey,
  signWebhook,
  validKeys,
} from '@tradepool/api/server';

/**
 * The built-in demo trading model (SIMULATOR=on). It learns the pools to trade and their capital from the same service
 * as the model API (`GET /api/v1/model/pools`), and for every ACTIVE pool with capital signs and posts trades,
 * positions and cumulative PnL to the real webhook route over HTTP, exactly as the external model would. The PnL is a
 * random walk of a few percent a day on the pool's real value, so an investor's $300 stays worth about $300. It never
 * writes to the database itself, and says nothing about pools nobody has put money in.
 */
export interface SimulatorOptions {
  /** Where the webhook lives, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  intervalMs?: number;
  random?: () => number;
}

interface PoolState {
  prices: Map<string, number>;
  holdings: Map<string, { quantity: number; avgPrice: number }>;
  /** Cumulative since the pool started trading, as the contract's `pnl_update` wants it. */
  realizedCents: number;
  totalPnlCents: number;
  ticks: number;
  lastTickAt: number;
}

const DAY_MS = 86_400_000;
/** Daily volatility and drift of the pool's return: a few percent a day, slightly positive. */
const DAILY_VOLATILITY = 0.03;
const DAILY_DRIFT = 0.002;

/** Capital as of `at`: the sum of the flows that joined by then (what Tradepool checks a reported equity against). */
export function capitalAsOf(pool: Pick<ModelPool, 'capitalFlows'>, at: Date): number {
  return pool.capitalFlows
    .filter((flow) => Date.parse(flow.at) <= at.getTime())
    .reduce((sum, flow) => sum + flow.amountCents, 0);
}

const START_PRICES: Record<string, number> = {
  BTC: 64_000,
  ETH: 3_200,
  SOL: 145,
  AVAX: 36,
  LINK: 17,
  ARB: 1.1,
};

function symbolsFor(pair: string): string[] {
  if (pair.startsWith('ALT/')) {
    return ['SOL/USDT', 'AVAX/USDT', 'LINK/USDT', 'ARB/USDT'];
  }
  if (pair === 'BTC/ETH') {
    return ['BTC/USDT', 'ETH/USDT'];
  }
  return [pair];
}

/** A decimal string with at most `places` decimals, never in exponent form. */
function fixed(value: number, places: number): string {
  return value.toFixed(places).replace(/\.?0+$/, '') || '0';
}

export function startSimulator(
  deps: ServiceDeps,
  options: SimulatorOptions,
): { stop(): void; tick(): Promise<void> } {
  const random = options.random ?? Math.random;
  const states = new Map<string, PoolState>();
  const gauss = () => {
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  async function post(event: string, poolId: string, data: Record<string, unknown>): Promise<void> {
    const { signing } = await validKeys(deps);
    if (!signing) {
      return;
    }
    const body = JSON.stringify({ event, poolId, data });
    const id = `sim_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${options.baseUrl}/api/v1/webhook/model`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': `v1,${signWebhook(secretKey(signing), id, timestamp, body)}`,
      },
      body,
    });
    if (response.status >= 400 && response.status !== 409) {
      deps.log.warn({ status: response.status, event, poolId }, 'simulator delivery refused');
    }
  }

  async function tickPool(pool: ModelPool): Promise<void> {
    const now = Date.now();
    let state = states.get(pool.id);
    const symbols = symbolsFor(pool.pair);
    if (!state) {
      // Picks up where the platform says the pool stands (after a restart, its last accepted report).
      const reported = pool.equityCents - pool.capitalCents;
      state = {
        prices: new Map(),
        holdings: new Map(),
        realizedCents: pool.lastReportAt ? reported : 0,
        totalPnlCents: pool.lastReportAt ? reported : 0,
        ticks: 0,
        lastTickAt: now,
      };
      for (const symbol of symbols) {
        const base = symbol.split('/')[0] ?? 'BTC';
        state.prices.set(symbol, (START_PRICES[base] ?? 50) * (0.95 + random() * 0.1));
      }
      states.set(pool.id, state);
    }
    state.ticks++;
    for (const [symbol, price] of state.prices) {
      state.prices.set(symbol, Math.max(0.01, price * (1 + gauss() * 0.002)));
    }
    const capitalCents = pool.capitalCents;
    if (random() < 0.35) {
      const symbol = symbols[Math.floor(random() * symbols.length)] ?? symbols[0] ?? 'BTC/USDT';
      const price = state.prices.get(symbol) ?? 1;
      const holding = state.holdings.get(symbol) ?? { quantity: 0, avgPrice: price };
      const side = holding.quantity > 0 && random() < 0.5 ? 'SELL' : 'BUY';
      const notionalCents = capitalCents * (0.02 + random() * 0.05);
      const quantity = Number(fixed(notionalCents / 100 / price, 6)) || 0.000001;
      if (side === 'BUY') {
        const total = holding.quantity + quantity;
        holding.avgPrice = (holding.avgPrice * holding.quantity + price * quantity) / total;
        holding.quantity = total;
      } else {
        const sold = Math.min(quantity, holding.quantity);
        holding.quantity -= sold;
        // Selling locks in part of the open result: it moves from unrealized to realized.
        state.realizedCents += Math.round((state.totalPnlCents - state.realizedCents) * 0.3);
      }
      state.holdings.set(symbol, holding);
      await post('trade_executed', pool.id, {
        side,
        symbol,
        quantity: fixed(quantity, 6),
        price: fixed(price, 2),
        fee: fixed((quantity * price) / 1000, 2),
        tradeId: `sim-${randomUUID().slice(0, 8)}`,
        executedAt: new Date().toISOString(),
      });
      await post('position_update', pool.id, {
        symbol,
        quantity: fixed(holding.quantity, 6),
        avgEntryPrice: fixed(holding.avgPrice, 2),
        markPrice: fixed(price, 2),
        unrealizedPnl: fixed((price - holding.avgPrice) * holding.quantity, 2),
        at: new Date().toISOString(),
      });
    }
    // One step of the random walk, applied to the pool's value (capital + PnL so far): the return is a fraction of
    // what is invested, so money joining the pool later never moves the NAV.
    const days = Math.min(Math.max(now - state.lastTickAt, 1_000), DAY_MS) / DAY_MS;
    state.lastTickAt = now;
    const step = gauss() * DAILY_VOLATILITY * Math.sqrt(days) + DAILY_DRIFT * days;
    const valueCents = Math.max(0, capitalCents + state.totalPnlCents);
    // Never lose more than the pool has.
    state.totalPnlCents = Math.max(-capitalCents, state.totalPnlCents + Math.round(valueCents * step));
    const unrealizedCents = state.totalPnlCents - state.realizedCents;
    const at = new Date(now);
    await post('pnl_update', pool.id, {
      realizedPnl: fixed(state.realizedCents / 100, 2),
      unrealizedPnl: fixed(unrealizedCents / 100, 2),
      // The optional cross-check: capital as of `at` (from the model API's flows) plus the reported PnL.
      equity: fixed(Math.max(0, capitalAsOf(pool, at) + state.totalPnlCents) / 100, 2),
      at: at.toISOString(),
    });
    if (state.ticks % 10 === 1) {
      await post('pool_update', pool.id, {
        message: random() < 0.5 ? 'Trend intact, holding exposure' : 'Volatility rising, trimming size',
        metrics: {
          sharpe: Number((0.8 + random()).toFixed(2)),
          winRate: Number((0.45 + random() * 0.2).toFixed(2)),
          exposure: Number(random().toFixed(2)),
        },
      });
    }
  }

  let running = false;
  const tick = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      const pools = await listModelPools(deps);
      for (const pool of pools) {
        if (pool.status === 'ACTIVE' && pool.capitalCents > 0) {
          await tickPool(pool);
        }
      }
    } catch (error) {
      deps.log.warn({ err: error }, 'simulator tick failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 2_000);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
