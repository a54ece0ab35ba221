import type { UserView } from '@tradepool/domain';
import { eq } from 'drizzle-orm';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { loadSelf } from './account';
import { actorOf } from './issue-session';
import { publicUser } from './users';

export async function updateProfile(ctx: Context, input: { displayName: string }): Promise<UserView> {
  const { users } = ctx.database.schema;
  const updated = await ctx.database.transaction(async (tx) => {
    const before = await loadSelf(ctx, tx);
    const [after] = await tx
      .update(users)
      .set({ displayName: input.displayName, updatedAt: ctx.clock.now() })
      .where(eq(users.id, before.id))
      .returning();
    await recordAudit(ctx, tx, {
      actor: actorOf(before),
      action: 'user.profile_updated',
      target: { type: 'user', id: before.id },
      before: { displayName: before.displayName },
      after: { displayName: input.displayName },
      ip: ctx.ip,
    });
    return after ?? before;
  });
  return publicUser(updated, ctx.clock);
}
