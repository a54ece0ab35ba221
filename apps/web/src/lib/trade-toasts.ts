import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatPrice, formatQuantity } from './format';

/**
 * Trade notifications are opt-in, per person and per browser: a model trades every few seconds, and a toast for each
 * one would bury the page. The person's own money events (deposits, withdrawals) always notify; this only covers
 * other people's trading.
 */
const KEY_PREFIX = 'tradepool-trade-toasts:';

function keyFor(userId: string | null): string {
  return `${KEY_PREFIX}${userId ?? 'guest'}`;
}

export function readTradeToasts(userId: string | null): boolean {
  try {
    return localStorage.getItem(keyFor(userId)) === 'on';
  } catch {
    return false;
  }
}

function writeTradeToasts(userId: string | null, on: boolean): void {
  try {
    localStorage.setItem(keyFor(userId), on ? 'on' : 'off');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** The person's choice, default off, kept in localStorage under their id. */
export function useTradeToastSetting(userId: string | null): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => readTradeToasts(userId));
  useEffect(() => {
    setOn(readTradeToasts(userId));
  }, [userId]);
  const update = useCallback(
    (next: boolean) => {
      setOn(next);
      writeTradeToasts(userId, next);
    },
    [userId],
  );
  return [on, update];
}

export interface ToastTrade {
  side: 'BUY' | 'SELL';
  symbol: string;
  quantity: string;
  price: string;
}

/** Trades arriving within this window share one notification ("3 new trades"), which is updated, not stacked. */
const GROUP_MS = 8_000;

/**
 * A notifier for one pool's trades: the first trade shows a toast, later ones within a few seconds update the same
 * toast with a count and the latest trade, so however fast the model trades there is one toast per pool at a time.
 */
export function useTradeToasts(poolId: string, poolName: string) {
  const group = useRef<{ count: number; until: number }>({ count: 0, until: 0 });
  return useCallback(
    (trade: ToastTrade) => {
      const id = `trades-${poolId}`;
      const now = Date.now();
      const current = group.current;
      const grouped = now < current.until;
      current.count = grouped ? current.count + 1 : 1;
      current.until = now + GROUP_MS;
      const latest = `${trade.side} ${formatQuantity(trade.quantity)} ${trade.symbol} at ${formatPrice(trade.price)}`;
      const options = {
        id,
        color: trade.side === 'BUY' ? 'teal' : 'red',
        title:
          current.count === 1 ? `New trade in ${poolName}` : `${current.count} new trades in ${poolName}`,
        message: current.count === 1 ? latest : `Latest: ${latest}`,
        autoClose: GROUP_MS,
      };
      if (grouped) {
        notifications.update(options);
      } else {
        notifications.show(options);
      }
    },
    [poolId, poolName],
  );
}
