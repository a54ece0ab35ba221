import { createHash } from 'node:crypto';
import { type Database, type Db, type JsonObject, newId } from '@tradepool/db';
import type { AuditChainView, AuditPageView, Clock } from '@tradepool/domain';
import { and, asc, desc, eq, gt, gte, like, lt, lte, type SQL, sql } from 'drizzle-orm';

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditInput {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id: string } | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

/** Hash of the first entry's predecessor: a chain always starts here. */
export const GENESIS_HASH = '0'.repeat(64);

/** Postgres advisory lock key that serialises audit appends, so two transactions never chain to the same entry. */
const AUDIT_LOCK_KEY = 74_280_001;

/** JSON with object keys sorted, so a value hashes the same after a round trip through jsonb (which reorders keys). */
function canonical(value: unknown): string {
  if (value === undefined || value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface HashedFields {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: JsonObject | null;
  after: JsonObject | null;
  ip: string | null;
  prevHash: string;
}

export function entryHash(entry: HashedFields): string {
  const material = canonical([
    entry.prevHash,
    entry.id,
    entry.at.toISOString(),
    entry.actorId,
    entry.actorEmail,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.before ?? null,
    entry.after ?? null,
    entry.ip,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Plain JSON copy: Dates become ISO strings so what is stored is exactly what was hashed. Non-object values are
 * wrapped, because the column holds objects.
 */
function jsonValue(value: unknown): JsonObject | null {
  if (value === undefined || value === null) {
    return null;
  }
  const plain: unknown = JSON.parse(JSON.stringify(value));
  return typeof plain === 'object' && plain !== null && !Array.isArray(plain)
    ? (plain as JsonObject)
    : { value: plain };
}

/**
 * Appends one entry inside the caller's transaction, chained to the previous entry's hash: it commits or rolls back
 * with the action it records. On Postgres a transaction-scoped advisory lock orders concurrent appends (SQLite
 * writers are already serialised).
 */
export async function recordAudit(
  deps: { database: Database; clock: Clock },
  tx: Db,
  input: AuditInput,
): Promise<void> {
  const { auditEntries } = deps.database.schema;
  if (deps.database.dialect === 'postgres') {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  }
  const [last] = await tx
    .select({ hash: auditEntries.hash })
    .from(auditEntries)
    .orderBy(desc(auditEntries.seq))
    .limit(1);
  const fields: HashedFields = {
    id: newId(),
    at: deps.clock.now(),
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    before: jsonValue(input.before),
    after: jsonValue(input.after),
    ip: input.ip ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.insert(auditEntries).values({ ...fields, hash: entryHash(fields) });
}

/** Recomputes every hash in order. Any edit, deletion or insertion in the middle of the log breaks the chain here. */
export async function verifyAuditChain(database: Database, pageSize = 1000): Promise<AuditChainView> {
  const { auditEntries } = database.schema;
  let previous = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await database.db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.seq, afterSeq))
      .orderBy(asc(auditEntries.seq))
      .limit(pageSize);
    for (const row of page) {
      const reason =
        row.prevHash !== previous
          ? 'does not link to the previous entry'
          : entryHash(row) !== row.hash
            ? 'content does not match its hash'
            : null;
      if (reason) {
        return { intact: false, checked, brokenAt: { seq: row.seq, id: row.id, reason }, lastHash: previous };
      }
      previous = row.hash;
      checked++;
      afterSeq = row.seq;
    }
    if (page.length < pageSize) {
      return { intact: true, checked, brokenAt: null, lastHash: previous };
    }
  }
}

export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Entries older than this sequence number (the previous page's `nextCursor`). */
  cursor?: number | undefined;
  limit: number;
}

export async function listAudit(database: Database, query: AuditQuery): Promise<AuditPageView> {
  const { auditEntries } = database.schema;
  const conditions: SQL[] = [];
  if (query.actor) {
    const actor = query.actor.trim().toLowerCase();
    conditions.push(
      actor.includes('@') ? eq(auditEntries.actorEmail, actor) : eq(auditEntries.actorId, query.actor.trim()),
    );
  }
  if (query.action) {
    conditions.push(like(auditEntries.action, `${query.action.trim()}%`));
  }
  if (query.from) {
    conditions.push(gte(auditEntries.at, query.from));
  }
  if (query.to) {
    conditions.push(lte(auditEntries.at, query.to));
  }
  if (query.cursor !== undefined) {
    conditions.push(lt(auditEntries.seq, query.cursor));
  }
  const rows = await database.db
    .select()
    .from(auditEntries)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditEntries.seq))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
    nextCursor: rows.length > query.limit && last ? last.seq : null,
  };
}
