import type { MantineColor } from '@mantine/core';
import type { RouterOutputs } from '@tradepool/api';
// The lists are the domain's, through its zod-free subpath, so nothing server-side reaches the bundle.
import {
  EDITABLE_FIELDS,
  POOL_STATUSES,
  RISK_LEVELS,
  STRATEGIES,
  TRADING_STATUSES,
} from '@tradepool/domain/vocabulary';
import {
  changeRatio,
  compactMoney,
  formatChange,
  formatMoney,
  formatNav as formatNavSix,
  formatQuantity,
  formatSignedMoney,
} from './format';

/** TRADING_STATUSES: the statuses in which the model trades and live trading data means something. */
export { EDITABLE_FIELDS, POOL_STATUSES, RISK_LEVELS, STRATEGIES, TRADING_STATUSES };

export type Pool = RouterOutputs['pools']['byId'];
export type PoolStatus = Pool['status'];
export type Strategy = Pool['strategy'];
export type RiskLevel = Pool['riskLevel'];
export type PoolTrade = RouterOutputs['pools']['trades'][number];
export type PoolPosition = RouterOutputs['pools']['positions'][number];
export type PnlPoint = RouterOutputs['pools']['pnl'][number];
export type PoolHistoryEntry = RouterOutputs['pools']['history'][number];
export type PoolTemplate = RouterOutputs['pools']['templates'][number];
export type ModelStatus = RouterOutputs['pools']['modelStatus'];
/** `pools.list` input as the SPA sends it (the procedure also accepts a comma-separated string, for REST). */
export interface PoolListInput {
  status?: PoolStatus[];
  strategy?: Strategy;
}

export const STATUS_META: Record<PoolStatus, { label: string; color: MantineColor; description: string }> = {
  PENDING: {
    label: 'Pending',
    color: 'blue',
    description: 'Raising money; trading starts at the start date.',
  },
  ACTIVE: { label: 'Active', color: 'teal', description: 'The model is trading the pool.' },
  PAUSED: { label: 'Paused', color: 'yellow', description: 'Trading is paused by a manager.' },
  CLOSED: { label: 'Closed', color: 'gray', description: 'Trading ended; waiting for the settlement date.' },
  SETTLING: { label: 'Settling', color: 'violet', description: 'The final value is being settled.' },
  SETTLED: { label: 'Settled', color: 'indigo', description: 'Proceeds were paid out to the investors.' },
  CANCELLED: {
    label: 'Cancelled',
    color: 'red',
    description: 'Cancelled before trading; every investor refunded.',
  },
};

export const STRATEGY_LABELS: Record<Strategy, string> = {
  MOMENTUM_BTC: 'Momentum BTC',
  SWING_ETH: 'Swing ETH',
  MEAN_REVERSION_SOL: 'Mean Reversion SOL',
  BREAKOUT_ALTCOINS: 'Breakout Altcoins',
  MARKET_NEUTRAL: 'Market Neutral',
};

export const RISK_META: Record<RiskLevel, { label: string; color: MantineColor }> = {
  LOW: { label: 'Low risk', color: 'teal' },
  MEDIUM: { label: 'Medium risk', color: 'yellow' },
  HIGH: { label: 'High risk', color: 'red' },
};

/** The model is expected to report at least this often while a pool trades; older than this is shown as stale. */
export const HEARTBEAT_STALE_MS = 2 * 60_000;

/**
 * Statuses in which the model is expected to be trading right now, so a silent model is a problem ("stale"). A paused
 * pool does not trade, a closed or settling one has stopped: their last heartbeat is history, not a warning.
 */
export const LIVE_STATUSES: readonly PoolStatus[] = ['ACTIVE'];

export function isTradingNow(status: PoolStatus): boolean {
  return LIVE_STATUSES.includes(status);
}

export function isPoolStatus(value: string): value is PoolStatus {
  return (POOL_STATUSES as readonly string[]).includes(value);
}

export function isStrategy(value: string | null): value is Strategy {
  return value !== null && (STRATEGIES as readonly string[]).includes(value);
}

// The display of money, NAV and percentages lives in lib/format.ts; these names remain for callers that have not
// moved yet and delegate to it.

/** @deprecated use `formatMoney` from lib/format (`{ whole: true }` for round figures). */
export function formatUsd(cents: number, options: { showCents?: boolean } = {}): string {
  return formatMoney(cents, { whole: options.showCents === false });
}

/** @deprecated use `formatSignedMoney` from lib/format. */
export function formatUsdChange(cents: number): string {
  return formatSignedMoney(cents);
}

/** @deprecated use `compactMoney` from lib/format (with its exact value in a tooltip). */
export function formatUsdCompact(cents: number): string {
  return compactMoney(cents).text;
}

/** @deprecated use `formatQuantity` (or `formatPrice` for prices) from lib/format. */
export function formatDecimal(value: string, maxDecimals?: number): string {
  return formatQuantity(value, maxDecimals);
}

/** @deprecated use `formatNav` from lib/format: NAV always shows its six decimals, whatever `_digits` asks. */
export function formatNav(nav: string, _digits?: number): string {
  return formatNavSix(nav);
}

/** NAV change since the pool started at $1.000000 per share, as a ratio (0.0044 = +0.44%). */
export function navChange(nav: string): number {
  return changeRatio(1, Number(nav));
}

/** @deprecated NAV change in percent; use `navChange` (a ratio) with `formatChange`. */
export function navChangePercent(nav: string): number {
  return navChange(nav) * 100;
}

/** @deprecated use `formatChange` from lib/format, which takes a ratio; this takes percent. */
export function formatPercent(value: number, _digits?: number): string {
  return formatChange(value / 100);
}

/** Green for gains, red for losses, dimmed for flat: the app's only use of those colours. */
export function changeColor(value: number): MantineColor | 'dimmed' {
  if (value > 0) {
    return 'teal';
  }
  if (value < 0) {
    return 'red';
  }
  return 'dimmed';
}

/** Share of the target raised, 0–100. */
export function raisedPercent(pool: Pick<Pool, 'raisedCents' | 'targetAmountCents'>): number {
  if (pool.targetAmountCents <= 0) {
    return 0;
  }
  return Math.min(100, (pool.raisedCents / pool.targetAmountCents) * 100);
}

export interface Milestone {
  /** "Starts in", "Ends in", "Settles in". */
  label: string;
  /** What happened, once the moment has passed but the scheduler has not moved the pool yet. */
  dueLabel: string;
  at: string;
}

/** The next date that matters for a pool in its status, or null when nothing is ahead of it. */
export function nextMilestone(
  pool: Pick<Pool, 'status' | 'startDate' | 'endDate' | 'settleDate'>,
): Milestone | null {
  switch (pool.status) {
    case 'PENDING':
      return { label: 'Starts in', dueLabel: 'Starting now', at: pool.startDate };
    case 'ACTIVE':
    case 'PAUSED':
      return { label: 'Ends in', dueLabel: 'Ending now', at: pool.endDate };
    case 'CLOSED':
      return { label: 'Settles in', dueLabel: 'Settling now', at: pool.settleDate };
    case 'SETTLING':
      return { label: 'Settles in', dueLabel: 'Awaiting settlement', at: pool.settleDate };
    default:
      return null;
  }
}

const pad = (value: number) => String(value).padStart(2, '0');

/** A countdown as traders read it: `3d 04h 12m`, `04h 12m 09s`, `12m 09s`, `45s`. */
export function formatCountdown(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const secs = seconds % 60;
  if (days > 0) {
    return `${days}d ${pad(hours)}h ${pad(minutes)}m`;
  }
  if (hours > 0) {
    return `${pad(hours)}h ${pad(minutes)}m ${pad(secs)}s`;
  }
  if (minutes > 0) {
    return `${minutes}m ${pad(secs)}s`;
  }
  return `${secs}s`;
}
