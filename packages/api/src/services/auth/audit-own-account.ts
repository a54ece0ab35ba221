import type { Db, User } from '@tradepool/db';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { actorOf } from './issue-session';

/** Records, in the caller's transaction, an action users took on their own account: they are actor and target. */
export function auditOwnAccount(ctx: Context, tx: Db, user: Pick<User, 'id' | 'email'>, action: string) {
  return recordAudit(ctx, tx, {
    actor: actorOf(user),
    action,
    target: { type: 'user', id: user.id },
    ip: ctx.ip,
  });
}
