import { randomUUID } from 'node:crypto';
import { listPools, type ServiceDeps, secretKey, signWebhook, validKeys } from '@tradepool/api/server';

/**
 * The built-in demo trading model (SIMULATOR=on): for every ACTIVE pool it signs and posts realistic trades,
 * positions and PnL (a random walk on the pool's equity) to the real webhook route over HTTP, exactly as the external
 * model would, so a newcomer sees charts move. It never writes to the database itself.
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
  realizedCents: number;
  ticks: number;
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

  async function tickPool(pool: {
    id: string;
    pair: string;
    equityCents: number;
    raisedCents: number;
  }): Promise<void> {
    let state = states.get(pool.id);
    const symbols = symbolsFor(pool.pair);
    if (!state) {
      state = { prices: new Map(), holdings: new Map(), realizedCents: 0, ticks: 0 };
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
    const capitalCents = pool.equityCents > 0 ? pool.equityCents : Math.max(pool.raisedCents, 1_000_000);
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
        state.realizedCents += Math.round((price - holding.avgPrice) * sold * 100);
        holding.quantity -= sold;
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
    const drift = 1 + gauss() * 0.0015 + 0.0001;
    const equityCents = Math.max(0, Math.round(capitalCents * drift));
    const unrealizedCents = [...state.holdings].reduce(
      (sum, [symbol, h]) =>
        sum + Math.round(((state.prices.get(symbol) ?? h.avgPrice) - h.avgPrice) * h.quantity * 100),
      0,
    );
    await post('pnl_update', pool.id, {
      equity: fixed(equityCents / 100, 2),
      realizedPnl: fixed(state.realizedCents / 100, 2),
      unrealizedPnl: fixed(unrealizedCents / 100, 2),
      at: new Date().toISOString(),
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
      const pools = await listPools(deps, { status: ['ACTIVE'] });
      for (const pool of pools) {
        await tickPool(pool);
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
