import { createHash } from 'node:crypto';
import type { Db, JsonObject } from '@tradepool/db';
import { AppError, REFUSAL } from '@tradepool/domain';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../../context';

function hashRequest(operation: string, body: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n${JSON.stringify(body)}`)
    .digest('hex');
}

/**
 * Runs `effect` once per (user, Idempotency-Key), inside the caller's transaction: the key row is claimed under its
 * primary key first, so concurrent copies wait for the first and then get its answer; a different body under the
 * same key is a 409. Without a key the effect simply runs.
 */
export async function once<T extends JsonObject>(
  deps: Pick<ServiceDeps, 'database' | 'clock'>,
  tx: Db,
  input: { userId: string; key: string | null | undefined; operation: string; body: unknown },
  effect: () => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (!input.key) {
    return { value: await effect(), replayed: false };
  }
  const { idempotencyKeys } = deps.database.schema;
  const requestHash = hashRequest(input.operation, input.body);
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ userId: input.userId, key: input.key, requestHash, createdAt: deps.clock.now() })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (claimed.length === 0) {
    const [first] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, input.key)))
      .limit(1);
    if (!first || first.requestHash !== requestHash) {
      throw new AppError('CONFLICT', 'This Idempotency-Key was already used with a different request', {
        details: { reason: REFUSAL.IDEMPOTENCY_KEY_REUSED },
      });
    }
    return { value: first.response as T, replayed: true };
  }
  const value = await effect();
  await tx
    .update(idempotencyKeys)
    .set({ response: value })
    .where(and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, input.key)));
  return { value, replayed: false };
}
