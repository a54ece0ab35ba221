import { randomBytes } from 'node:crypto';
import { newId } from '@tradepool/db';
import type { RotatedSecretView, WebhookSecretView } from '@tradepool/domain';
import { desc, gt, isNull, or } from 'drizzle-orm';
import { type Context, requireUser, type ServiceDeps } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { secretKey } from './signature';

const CACHE_MS = 2_000;
/**
 * Per service container (keyed by its SecretBox, which request contexts share): each container has its own pinned
 * secret, so the cache must not be shared between them.
 */
const cache = new WeakMap<object, { at: number; keys: Buffer[]; signing: string | null }>();

function hintOf(secret: string): string {
  return `whsec_${secret.slice('whsec_'.length, 'whsec_'.length + 6)}…`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The first stored secret comes from MODEL_WEBHOOK_SECRET (or the generated development one), so admins can rotate
 * from there. Idempotent: does nothing once any secret is stored.
 */
export async function ensureInitialSecret(deps: ServiceDeps): Promise<void> {
  const secret = deps.config.modelWebhook.initialSecret;
  const { webhookSecrets } = deps.database.schema;
  const existing = await deps.database.db.select({ id: webhookSecrets.id }).from(webhookSecrets).limit(1);
  if (existing.length > 0) {
    return;
  }
  await deps.database.transaction(async (tx) => {
    await tx.insert(webhookSecrets).values({
      id: newId(),
      secretEnc: deps.secrets.seal(secret),
      hint: hintOf(secret),
      createdAt: deps.clock.now(),
      meta: { source: 'environment' },
    });
  });
}

/**
 * Keys valid now: every stored secret not past its overlap expiry, plus MODEL_WEBHOOK_SECRET when it is set
 * explicitly (it "stays valid"). Cached for two seconds per process; a rotation here clears the cache.
 */
export async function validKeys(deps: ServiceDeps): Promise<{ keys: Buffer[]; signing: string | null }> {
  const envSecret = deps.config.modelWebhook.pinnedSecret;
  const now = deps.clock.now().getTime();
  const hit = cache.get(deps.secrets);
  if (hit && now - hit.at < CACHE_MS && now >= hit.at) {
    return hit;
  }
  const { webhookSecrets } = deps.database.schema;
  const rows = await deps.database.db
    .select()
    .from(webhookSecrets)
    .where(or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, deps.clock.now())))
    .orderBy(desc(webhookSecrets.createdAt), desc(webhookSecrets.id));
  const secrets: string[] = [];
  for (const row of rows) {
    try {
      secrets.push(deps.secrets.open(row.secretEnc));
    } catch {
      // Sealed under another SECRETS_KEY (JWT_SECRET changed without SECRETS_KEY set): unusable, but it must not take
      // the webhook down with it; the pinned secret and any readable ones keep working.
      deps.log.error(
        { secret: row.hint },
        'a stored webhook secret cannot be decrypted with the current SECRETS_KEY; rotate it',
      );
    }
  }
  if (envSecret && !secrets.includes(envSecret)) {
    secrets.push(envSecret);
  }
  const entry = { at: now, keys: secrets.map(secretKey), signing: secrets[0] ?? null };
  cache.set(deps.secrets, entry);
  return entry;
}

export async function listSecrets(deps: ServiceDeps): Promise<WebhookSecretView[]> {
  const { webhookSecrets } = deps.database.schema;
  const now = deps.clock.now().getTime();
  const rows = await deps.database.db.select().from(webhookSecrets).orderBy(desc(webhookSecrets.createdAt));
  return rows.map((row) => ({
    id: row.id,
    hint: row.hint,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    active: row.expiresAt === null || row.expiresAt.getTime() > now,
  }));
}

/**
 * A new signing secret, shown once. Secrets still valid keep working for `overlapMinutes` so the model can switch
 * without dropping deliveries.
 */
export async function rotateSecret(ctx: Context, overlapMinutes: number): Promise<RotatedSecretView> {
  const user = requireUser(ctx);
  const { webhookSecrets } = ctx.database.schema;
  const secret = newWebhookSecret();
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + overlapMinutes * 60_000);
  await ctx.database.transaction(async (tx) => {
    await tx
      .update(webhookSecrets)
      .set({ expiresAt: until })
      .where(or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, until)));
    await tx.insert(webhookSecrets).values({
      id: newId(),
      secretEnc: ctx.secrets.seal(secret),
      hint: hintOf(secret),
      createdAt: now,
      createdById: user.id,
      meta: { source: 'rotation' },
    });
    await recordAudit(ctx, tx, {
      actor: { id: user.id, email: user.email },
      action: 'webhook.secret_rotated',
      target: { type: 'webhook', id: 'model' },
      after: { hint: hintOf(secret), previousValidUntil: until.toISOString() },
      ip: ctx.ip,
    });
  });
  cache.delete(ctx.secrets);
  return { secret, hint: hintOf(secret), previousValidUntil: until.toISOString() };
}
