/**
 * Every figure the SPA shows goes through this module, so one kind of number always reads the same way:
 * - money: integer cents from the API, shown as US dollars with the currency (`$1,234.56`); whole dollars only
 *   where the amount is round (`$50,000`), compact (`$1.2M`) only where space demands, with the exact value beside
 *   it for a tooltip (`compactMoney`);
 * - NAV per share: always all six decimals the API keeps (`$1.052345`);
 * - percentages: one rule, two decimals, a sign on changes (`+4.25%`, `−0.31%`, `0.00%`); ratios such as a win rate
 *   or an exposure (`0.55`) as percentages with at most one decimal (`55%`);
 * - trade prices: with the currency, two decimals from $1 up, more only for prices below $1;
 * - dates: one style (`Nov 28, 2026, 11:45 AM`), plus relative times (`3 minutes ago`) where closeness matters.
 * Numbers are formatted in en-US (the money is US dollars); times in the reader's own time zone.
 */

const LOCALE = 'en-US';
const MINUS = '\u2212';

// ---------------------------------------------------------------------------------------------------------------
// Money

/** A dollar formatter in the app's locale; `options` set the digits and notation. */
function usdFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', ...options });
}

const usd = usdFormat();
const usdWhole = usdFormat({ minimumFractionDigits: 0, maximumFractionDigits: 0 });
const usdCompact = usdFormat({ notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });

/** A minus sign people read as one (U+2212), not a hyphen, on every negative figure. */
function signed(negative: boolean, text: string, plus: boolean): string {
  if (negative) {
    return `${MINUS}${text}`;
  }
  return plus ? `+${text}` : text;
}

/**
 * Integer cents as dollars, exact to the cent: `$12,345.67`, `−$3.05`. With `whole`, a round amount drops its cents
 * (`$50,000`) while any other keeps them, so a figure is never rounded away.
 */
export function formatMoney(cents: number, options: { whole?: boolean } = {}): string {
  const abs = Math.abs(Math.trunc(cents));
  const text = options.whole && abs % 100 === 0 ? usdWhole.format(abs / 100) : usd.format(abs / 100);
  return signed(cents < 0, text, false);
}

/** A movement of money, where the direction matters as much as the size: `+$12.00`, `−$3.50`, `$0.00`. */
export function formatSignedMoney(cents: number): string {
  const abs = Math.abs(Math.trunc(cents));
  return signed(cents < 0, usd.format(abs / 100), cents > 0);
}

/**
 * A short money figure for a tight space (a chart axis, a narrow tile): `$9.9K`, `$1.2M`, with the exact amount to
 * show in a tooltip. Amounts below $10,000 are short enough already and stay exact.
 */
export function compactMoney(cents: number): { text: string; exact: string; compacted: boolean } {
  const exact = formatMoney(cents);
  if (Math.abs(cents) < 1_000_000) {
    return { text: exact, exact, compacted: false };
  }
  const text = signed(cents < 0, usdCompact.format(Math.abs(cents) / 100), false);
  return { text, exact, compacted: true };
}

/**
 * A chart's value as money. Charts plot dollars (cents / 100, so their scales read naturally); this turns one back
 * into cents and shows it exactly (`formatMoney`) or, for an axis, short (`compactMoney`).
 */
export function formatChartDollars(dollars: number, style: 'exact' | 'compact' = 'exact'): string {
  const cents = Math.round(dollars * 100);
  return style === 'compact' ? compactMoney(cents).text : formatMoney(cents);
}

// ---------------------------------------------------------------------------------------------------------------
// NAV, shares, prices, quantities

/** NAV per share (a 6-decimal string from the API) as money with all six decimals: `$1.052345`. */
export function formatNav(navPerShare: string): string {
  const text = navPerShare.trim();
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) {
    return navPerShare;
  }
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return signed(negative, `$${grouped}.${fraction.padEnd(6, '0').slice(0, 6)}`, false);
}

/** A decimal string (quantity, share count) grouped, every decimal kept but trailing zeros: `45,000.125`. */
export function formatQuantity(value: string, maxDecimals = 6): string {
  const text = value.trim();
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) {
    return value;
  }
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = fraction.slice(0, maxDecimals).replace(/0+$/, '');
  const isZero = /^0*$/.test(whole) && decimals === '';
  return signed(negative && !isZero, `${grouped}${decimals ? `.${decimals}` : ''}`, false);
}

/** Share counts: grouped, at least two decimals and up to the six the API keeps: `1,234.50`, `0.123456`. */
export function formatShares(shares: string): string {
  const text = formatQuantity(shares);
  if (text === shares && !/^-?\d+(\.\d*)?$/.test(shares.trim())) {
    return shares;
  }
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

const price2 = usdFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 });
const priceSmall = usdFormat({ minimumFractionDigits: 4, maximumFractionDigits: 6 });

/**
 * A market price (decimal string or number) with the currency: `$63,850.50`, `$3,184.20`; prices below $1 keep four
 * to six decimals (`$0.0421`), so one column of prices reads with the same precision.
 */
export function formatPrice(price: string | number): string {
  const value = typeof price === 'number' ? price : Number(price);
  if (!Number.isFinite(value)) {
    return String(price);
  }
  const abs = Math.abs(value);
  const text = abs !== 0 && abs < 1 ? priceSmall.format(abs) : price2.format(abs);
  return signed(value < 0, text, false);
}

// ---------------------------------------------------------------------------------------------------------------
// Percentages and plain numbers

const percent = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const fractionPercent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 4 });

/**
 * A change as a signed percentage from a ratio (0.0425 → `+4.25%`, −0.0031 → `−0.31%`): the one rule for returns,
 * NAV moves and PnL percentages. Two decimals always; a change that rounds to zero reads `0.00%`.
 */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return '—';
  }
  const rounded = Math.round(ratio * 10_000);
  if (rounded === 0) {
    return percent.format(0);
  }
  return signed(rounded < 0, percent.format(Math.abs(rounded) / 10_000), true);
}

/** A share of a whole as a percentage, no sign: win rate 0.55 → `55%`, exposure 0.825 → `82.5%`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return '—';
  }
  return signed(ratio < 0, fractionPercent.format(Math.abs(ratio)), false);
}

/** A count or a plain number: `1,234`, `1.6235`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return '—';
  }
  return signed(value < 0, (Number.isInteger(value) ? integer : decimal).format(Math.abs(value)), false);
}

/** The relative change from `from` to `to` as a ratio (for `formatChange`); 0 when `from` is not positive. */
export function changeRatio(from: number, to: number): number {
  return from > 0 ? to / from - 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times

const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const preciseFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'medium' });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'short' });
const timeSecondsFormat = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'medium' });
const relativeFormat = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

function parse(iso: string | number | Date): Date | null {
  const date = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The app's one date style: `Nov 28, 2026, 11:45 AM`, in the reader's time zone. */
export function formatDateTime(iso: string | number | Date): string {
  const date = parse(iso);
  return date ? dateTimeFormat.format(date) : String(iso);
}

/** Kept for callers that said "short": the one date style. */
export const formatShortDateTime = formatDateTime;

/** With seconds, for tooltips and audit trails where the exact moment matters: `Nov 28, 2026, 11:45:12 AM`. */
export function formatPreciseDateTime(iso: string | number | Date): string {
  const date = parse(iso);
  return date ? preciseFormat.format(date) : String(iso);
}

/** A day: `Nov 28, 2026`. */
export function formatDate(iso: string | number | Date): string {
  const date = parse(iso);
  return date ? dateFormat.format(date) : String(iso);
}

/** A time of day for feeds whose rows are today: `11:45 AM`, or `11:45:12 AM` with seconds. */
export function formatTime(iso: string | number | Date, options: { seconds?: boolean } = {}): string {
  const date = parse(iso);
  if (!date) {
    return String(iso);
  }
  return (options.seconds ? timeSecondsFormat : timeFormat).format(date);
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "in 2 days", "now": for times where closeness matters more than the exact moment. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) {
    return iso;
  }
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return relativeFormat.format(Math.round(seconds / size), unit);
    }
  }
  return relativeFormat.format(0, 'second');
}

/** A noun in the number its count asks for: `pool` for 1, `pools` otherwise (`pluralNoun` for entry → entries). */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return count === 1 ? noun : pluralNoun;
}

/** A count with its noun: "1 pool", "3 pools", "0 entries" (see `plural`). */
export function formatCount(count: number, noun: string, pluralNoun?: string): string {
  return `${count} ${plural(count, noun, pluralNoun)}`;
}

/** A wait, as a person says it: "45 seconds", "3 minutes", "1 h 5 min". */
export function formatWait(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  if (seconds < 60) {
    return formatCount(seconds, 'second');
  }
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) {
    return formatCount(minutes, 'minute');
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * Whole days left until `until`, counted in calendar days of the reader (a month bought today on Nov 28 runs until
 * Dec 28: 30 days left, not 29 because a few seconds have passed). 0 on its last day and once it is over.
 */
export function daysLeft(until: string | number | Date, now: number | Date = Date.now()): number {
  const end = parse(until);
  const start = parse(now);
  if (!end || !start || end.getTime() <= start.getTime()) {
    return 0;
  }
  const endDay = Date.UTC(end.getFullYear(), end.getMonth(), end.getDate());
  const startDay = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate());
  return Math.round((endDay - startDay) / 86_400_000);
}

/** An IP address as people know it: IPv4 clients of a dual-stack server show as `::ffff:1.2.3.4`. */
export function formatIp(ip: string | null | undefined): string {
  if (!ip) {
    return '—';
  }
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

// ---------------------------------------------------------------------------------------------------------------
// Chart axes

/**
 * Round ticks for a value axis: steps of 1, 2, 2.5 or 5 × 10^k covering [min, max] with about `count` ticks, so an
 * axis reads 9.99, 10.00, 10.01 instead of 9.9980, 18.9980. Returns the ticks and the decimals they need.
 */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; decimals: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return { ticks: [], decimals: 0 };
  }
  let low = Math.min(min, max);
  let high = Math.max(min, max);
  if (high - low < Number.EPSILON * Math.max(1, Math.abs(high))) {
    // A flat line: a small band around it, so it sits in the middle of the chart.
    const pad = Math.abs(low) > 0 ? Math.abs(low) * 0.001 : 1;
    low -= pad;
    high += pad;
  }
  const rough = (high - low) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / power === 2.5 ? 1 : 0));
  const first = Math.floor(low / step) * step;
  const ticks: number[] = [];
  for (let value = first; value <= high + step * 1e-9; value += step) {
    ticks.push(Number(value.toFixed(decimals)));
  }
  if ((ticks.at(-1) ?? Number.NEGATIVE_INFINITY) < high) {
    ticks.push(Number(((ticks.at(-1) ?? first) + step).toFixed(decimals)));
  }
  return { ticks, decimals };
}

const TIME_STEPS_MS = [
  1_000,
  5_000,
  15_000,
  30_000,
  60_000,
  5 * 60_000,
  10 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  2 * 3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  2 * 86_400_000,
  7 * 86_400_000,
  14 * 86_400_000,
  30 * 86_400_000,
];

/**
 * Round times for a time axis between `from` and `to` (epoch ms), about `count` of them, each on a multiple of its
 * step in the reader's time zone, with a label format that tells them apart: seconds for sub-minute steps, hours
 * and minutes for sub-day steps, the day otherwise. No two labels repeat.
 */
export function timeTicks(
  from: number,
  to: number,
  count = 6,
): { ticks: number[]; format: (value: number) => string } {
  const span = Math.max(0, to - from);
  const step =
    TIME_STEPS_MS.find((candidate) => span / candidate <= count) ?? TIME_STEPS_MS.at(-1) ?? 86_400_000;
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  if (span > 0) {
    // Align to the step in local time (a day tick at local midnight, an hour tick on the hour).
    let tick = Math.ceil((from - offset) / step) * step + offset;
    while (tick <= to) {
      ticks.push(tick);
      tick += step;
    }
  }
  const format =
    step < 60_000
      ? (value: number) => formatTime(value, { seconds: true })
      : step < 86_400_000
        ? (value: number) => formatTime(value)
        : (value: number) => dateFormat.format(new Date(value)).replace(/, \d{4}$/, '');
  const labelled = dedupeLabels(ticks, format);
  return { ticks: labelled, format };
}

/** Drops ticks whose label equals the previous one's (two ticks in the same minute would both read 10:27). */
export function dedupeLabels(ticks: readonly number[], format: (value: number) => string): number[] {
  const kept: number[] = [];
  let previous: string | null = null;
  for (const tick of ticks) {
    const label = format(tick);
    if (label !== previous) {
      kept.push(tick);
      previous = label;
    }
  }
  return kept;
}
