import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type ModelApiKey, newId } from '@tradepool/db';
import { AppError, type CreatedModelKeyView, type ModelKeyView } from '@tradepool/domain';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';

/** Every model API key starts with this, so a leaked one is recognisable (and never mistaken for a JWT). */
export const MODEL_KEY_PREFIX = 'tpk_';
/** lastUsedAt is written at most once a minute per key: a model polling every second costs no write per call. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** Who is calling the model API: a stored key, or MODEL_API_KEY from the environment. */
export type ModelCaller = { kind: 'key'; keyId: string } | { kind: 'environment' };

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function view(row: ModelApiKey): ModelKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    createdById: row.createdById,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export async function listModelKeys(ctx: Context): Promise<ModelKeyView[]> {
  const { modelApiKeys } = ctx.database.schema;
  const rows = await ctx.database.db
    .select()
    .from(modelApiKeys)
    .orderBy(desc(modelApiKeys.createdAt), desc(modelApiKeys.id))
    .limit(500);
  return rows.map(view);
}

/** Creates a key; the only time its secret is ever returned. Stored as SHA-256 (a 256-bit random key needs no KDF). */
export async function createModelKey(ctx: Context, name: string): Promise<CreatedModelKeyView> {
  const actor = requireUser(ctx);
  const { modelApiKeys } = ctx.database.schema;
  const key = `${MODEL_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = ctx.clock.now();
  const row = await ctx.database.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(modelApiKeys)
      .values({
        id: newId(),
        name,
        keyHash: sha256(key),
        prefix: `${key.slice(0, MODEL_KEY_PREFIX.length + 6)}…`,
        createdAt: now,
        createdById: actor.id,
      })
      .returning();
    if (!inserted) {
      throw new Error('model API key insert returned nothing');
    }
    await recordAudit(ctx, tx, {
      actor: { id: actor.id, email: actor.email },
      action: 'model_api_key.created',
      target: { type: 'model_api_key', id: inserted.id },
      after: { name, prefix: inserted.prefix },
      ip: ctx.ip,
    });
    return inserted;
  });
  return { key, apiKey: view(row) };
}

/** Revokes a key at once (the next call with it is a 401). Revoking a revoked key is a 409. */
export async function revokeModelKey(ctx: Context, id: string): Promise<ModelKeyView> {
  const actor = requireUser(ctx);
  const { modelApiKeys } = ctx.database.schema;
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const [revoked] = await tx
      .update(modelApiKeys)
      .set({ revokedAt: now })
      .where(and(eq(modelApiKeys.id, id), isNull(modelApiKeys.revokedAt)))
      .returning();
    if (!revoked) {
      const [existing] = await tx.select().from(modelApiKeys).where(eq(modelApiKeys.id, id)).limit(1);
      throw existing
        ? new AppError('CONFLICT', 'This model API key is already revoked')
        : new AppError('NOT_FOUND', 'No such model API key');
    }
    await recordAudit(ctx, tx, {
      actor: { id: actor.id, email: actor.email },
      action: 'model_api_key.revoked',
      target: { type: 'model_api_key', id },
      before: { name: revoked.name, prefix: revoked.prefix },
      ip: ctx.ip,
    });
    return view(revoked);
  });
}

function sameSecret(a: string, b: string): boolean {
  // Compare digests so neither the length nor the content leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * Checks a bearer token presented on /api/v1/model/*: MODEL_API_KEY from the environment, or a stored key that is not
 * revoked. A user's access token is never a model key, so it is refused here like any other wrong key.
 */
export async function verifyModelKey(deps: ServiceDeps, token: string | null): Promise<ModelCaller> {
  if (!token) {
    throw new AppError('UNAUTHORIZED', 'A model API key is required (Authorization: Bearer tpk_…)');
  }
  const envKey = deps.config.modelApiKey ?? null;
  if (envKey && sameSecret(token, envKey)) {
    return { kind: 'environment' };
  }
  const { modelApiKeys } = deps.database.schema;
  const [row] = token.startsWith(MODEL_KEY_PREFIX)
    ? await deps.database.db
        .select({ id: modelApiKeys.id, lastUsedAt: modelApiKeys.lastUsedAt })
        .from(modelApiKeys)
        .where(and(eq(modelApiKeys.keyHash, sha256(token)), isNull(modelApiKeys.revokedAt)))
        .limit(1)
    : [];
  if (!row) {
    throw new AppError('UNAUTHORIZED', 'Invalid or revoked model API key');
  }
  const now = deps.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const staleBefore = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await deps.database.transaction(async (tx) => {
      // Conditional, so concurrent calls in the same minute write once between them.
      await tx
        .update(modelApiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(modelApiKeys.id, row.id),
            or(isNull(modelApiKeys.lastUsedAt), lt(modelApiKeys.lastUsedAt, staleBefore)),
          ),
        );
    });
  }
  return { kind: 'key', keyId: row.id };
}
