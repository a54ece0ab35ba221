import type { Db, Schema } from '@tradepool/db';
import { and, eq } from 'drizzle-orm';

/** Whether the user has an ACTIVE investment (holds shares) in the pool. */
export async function holdsShares(
  handle: Db,
  schema: Schema,
  userId: string,
  poolId: string,
): Promise<boolean> {
  const { investments } = schema;
  const [held] = await handle
    .select({ id: investments.id })
    .from(investments)
    .where(
      and(eq(investments.userId, userId), eq(investments.poolId, poolId), eq(investments.status, 'ACTIVE')),
    )
    .limit(1);
  return held !== undefined;
}
