import { AppError } from '@tradepool/domain';
import { type Context, requireUser } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { actorOf } from './issue-session';
import { revokeSessions } from './refresh-tokens';

export async function revokeSession(ctx: Context, sessionId: string): Promise<void> {
  const user = requireUser(ctx);
  const ended = await ctx.database.transaction(async (tx) => {
    const count = await revokeSessions(ctx, tx, {
      userId: user.id,
      familyId: sessionId,
      reason: 'revoked_by_user',
    });
    if (count > 0) {
      await recordAudit(ctx, tx, {
        actor: actorOf(user),
        action: 'session.revoked',
        target: { type: 'session', id: sessionId },
        ip: ctx.ip,
      });
    }
    return count;
  });
  if (ended === 0) {
    throw new AppError('NOT_FOUND', 'No such session');
  }
  ctx.sessionEvents.emit('revoked', { userId: user.id, sessionId, reason: 'revoked_by_user' });
}
