import { and, eq, isNull } from 'drizzle-orm';
import { type Context, requireUser } from '../../context';

export async function recoveryCodesLeft(ctx: Context): Promise<number> {
  const user = requireUser(ctx);
  const { recoveryCodes } = ctx.database.schema;
  const rows = await ctx.database.db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
