import type { Pool } from '@tradepool/db';
import { navPerShare, type PoolView, PoolViewSchema } from '@tradepool/domain';

/** A stored value as it goes on the wire: dates become ISO 8601 strings, everything else is sent as stored. */
export type Wire<T> = T extends Date ? string : T;

/** How many ISO strings `isoString` remembers before it starts over (a few hundred KB at most). */
const ISO_MEMO_LIMIT = 10_000;
const isoByTime = new Map<number, string>();

/**
 * `date.toISOString()`, remembered by the instant: a pool's five dates rarely change, and formatting them was most of
 * `poolView`'s time (0.45 µs each, 40 pools × 5 per list). A date that cannot be formatted still throws.
 */
export function isoString(date: Date): string {
  const time = date.getTime();
  let text = isoByTime.get(time);
  if (text === undefined) {
    text = date.toISOString();
    if (isoByTime.size >= ISO_MEMO_LIMIT) {
      isoByTime.clear();
    }
    isoByTime.set(time, text);
  }
  return text;
}

function wire<T>(value: T): Wire<T> {
  return (value instanceof Date ? isoString(value) : value) as Wire<T>;
}

/** The columns the computed fields read (and only these: their parameter type says so). */
const COMPUTED_FROM = ['equityCents', 'totalShares'] as const satisfies readonly (keyof Pool)[];
type ComputedFrom = Pick<Pool, (typeof COMPUTED_FROM)[number]>;

/** The view fields that are not a column of the same name, each computed from the row. */
const computed = {
  navPerShare: (pool: ComputedFrom) => navPerShare(pool.equityCents, pool.totalShares),
} satisfies { [K in keyof PoolView]?: (pool: ComputedFrom) => PoolView[K] };

type ComputedField = keyof typeof computed;
type StoredField = Exclude<keyof PoolView, ComputedField>;

/**
 * Compile-time proof that every other view field is a column whose wire value fits the view: declaring a field in
 * `PoolViewSchema` without its column (or with a column of another type) fails the typecheck here.
 */
const storedFieldsFit: { [K in StoredField]: Wire<Pool[K]> } extends Pick<PoolView, StoredField>
  ? true
  : never = true;
void storedFieldsFit;

const VIEW_FIELDS = Object.keys(PoolViewSchema.shape) as (keyof PoolView)[];

function isComputed(field: keyof PoolView): field is ComputedField {
  return field in computed;
}

/** The columns `poolView` reads: a query whose rows only feed it selects these and nothing else. */
export type PoolViewRow = Pick<Pool, StoredField> & ComputedFrom;
export const POOL_VIEW_COLUMNS: readonly (keyof PoolViewRow)[] = [
  ...VIEW_FIELDS.filter((field): field is StoredField => !isComputed(field)),
  ...COMPUTED_FROM,
];

/**
 * Each view field with how to get it, decided once: asking `field in computed` for every field of every pool was
 * about a fifth of `poolView`'s time in the `pools.list` profile of the paced reads bench.
 */
const VIEW_PLAN: readonly (readonly [keyof PoolView, ((pool: PoolViewRow) => unknown) | null])[] =
  VIEW_FIELDS.map((field) => [field, isComputed(field) ? computed[field] : null] as const);

/** A pool as every client sees it (CONTRACT.md §3 `pool`), field by field from `PoolViewSchema`, in its order. */
export function poolView(pool: PoolViewRow): PoolView {
  const view: Record<string, unknown> = {};
  for (const [field, compute] of VIEW_PLAN) {
    view[field] = compute ? compute(pool) : wire(pool[field as StoredField]);
  }
  return view as PoolView;
}
