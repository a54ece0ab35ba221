import type { MantineColor } from '@mantine/core';
import type { RouterOutputs } from '@tradepool/api';

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

export const POOL_STATUSES: readonly PoolStatus[] = [
  'PENDING',
  'ACTIVE',
  'PAUSED',
  'CLOSED',
  'SETTLING',
  'SETTLED',
  'CANCELLED',
];

export const STRATEGIES: readonly Strategy[] = [
  'MOMENTUM_BTC',
  'SWING_ETH',
  'MEAN_REVERSION_SOL',
  'BREAKOUT_ALTCOINS',
  'MARKET_NEUTRAL',
];

export const RISK_LEVELS: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH'];

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

/**
 * Which fields an edit may change, by status. A copy of EDITABLE_FIELDS in packages/domain (the SPA only imports types
 * from the server side); the server enforces it and answers CONFLICT naming the fields if the two ever drift.
 */
export const EDITABLE_FIELDS: Record<PoolStatus, readonly string[]> = {
  PENDING: [
    'name',
    'description',
    'strategy',
    'pair',
    'riskLevel',
    'targetAmountCents',
    'minInvestmentCents',
    'startDate',
    'endDate',
    'settleDate',
  ],
  ACTIVE: ['name', 'description', 'targetAmountCents', 'endDate', 'settleDate'],
  PAUSED: ['name', 'description', 'targetAmountCents', 'endDate', 'settleDate'],
  CLOSED: ['name', 'description', 'settleDate'],
  SETTLING: ['name', 'description'],
  SETTLED: ['description'],
  CANCELLED: [],
};

/** The model is expected to report at least this often while a pool trades; older than this is shown as stale. */
export const HEARTBEAT_STALE_MS = 2 * 60_000;

/** Statuses in which the model trades and live trading data means something. */
export const TRADING_STATUSES: readonly PoolStatus[] = ['ACTIVE', 'PAUSED', 'CLOSED', 'SETTLING'];

export function isPoolStatus(value: string): value is PoolStatus {
  return (POOL_STATUSES as readonly string[]).includes(value);
}

export function isStrategy(value: string | null): value is Strategy {
  return value !== null && (STRATEGIES as readonly string[]).includes(value);
}

const groupFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Integer cents as US dollars, exact to the cent (no float arithmetic): `$12,345.67`, `-$3.05`. */
export function formatUsd(cents: number, options: { showCents?: boolean } = {}): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const dollars = Math.floor(abs / 100);
  const rest = abs % 100;
  const showCents = options.showCents ?? true;
  const text = showCents
    ? `$${groupFormat.format(dollars)}.${String(rest).padStart(2, '0')}`
    : `$${groupFormat.format(Math.round(abs / 100))}`;
  return negative ? `-${text}` : text;
}

/** A signed money change: `+$120.00`, `-$3.05`, `$0.00`. */
export function formatUsdChange(cents: number): string {
  return cents > 0 ? `+${formatUsd(cents)}` : formatUsd(cents);
}

const compactFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** Big round figures for cards: `$50K`, `$1.2M`. Display only. */
export function formatUsdCompact(cents: number): string {
  return compactFormat.format(cents / 100);
}

/** A decimal string from the API (price, quantity) with thousands separators, every decimal kept: `45,000.125`. */
export function formatDecimal(value: string, maxDecimals?: number): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let decimals = maxDecimals === undefined ? fraction : fraction.slice(0, maxDecimals);
  decimals = decimals.replace(/0+$/, '');
  return `${negative ? '-' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

/** NAV per share, a 6-decimal string, as dollars with `digits` decimals (4 on cards, 6 where precision matters). */
export function formatNav(nav: string, digits = 4): string {
  const [whole = '0', fraction = ''] = nav.split('.');
  return `$${whole}.${fraction.padEnd(digits, '0').slice(0, digits)}`;
}

/** NAV change since the pool started at $1.000000 per share, in percent. */
export function navChangePercent(nav: string): number {
  return (Number(nav) - 1) * 100;
}

/** `+1.25%`; small moves keep a third decimal, so a NAV that moved does not read as `+0.00%`. */
export function formatPercent(value: number, digits?: number): string {
  const places = digits ?? (value !== 0 && Math.abs(value) < 0.1 ? 3 : 2);
  const sign = value > 0 ? '+' : '';
  return `${sign}${value.toFixed(places)}%`;
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
