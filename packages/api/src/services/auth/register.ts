import { newId } from '@tradepool/db';
import { AppError, type RegisterInput } from '@tradepool/domain';
import type { Context } from '../../context';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type IssuedSession, sessionFor } from './issue-session';
import { hashPassword } from './passwords';
import { startSession } from './refresh-tokens';
import { throttled } from './sign-in-throttle';
import { displayNameFromEmail } from './users';

/** Creates an INVESTOR account and signs it in. Only "email taken" reveals that an account exists. */
export async function register(ctx: Context, input: RegisterInput): Promise<IssuedSession> {
  const gate = await ctx.limits.registrationsPerIp.hit(ctx.ip ?? 'unknown');
  if (!gate.allowed) {
    throw throttled(gate.retryAfterSec, 'new accounts from this address');
  }
  const { users } = ctx.database.schema;
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const result = await ctx.database.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        id: newId(),
        email: input.email,
        passwordHash,
        displayName: input.displayName ?? displayNameFromEmail(input.email),
        role: 'INVESTOR',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    const user = inserted[0];
    if (!user) {
      return null;
    }
    const refresh = await startSession(ctx, tx, { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent });
    await recordAudit(ctx, tx, {
      actor: actorOf(user),
      action: 'user.registered',
      target: { type: 'user', id: user.id },
      after: { email: user.email, role: user.role, displayName: user.displayName },
      ip: ctx.ip,
    });
    return { user, refresh };
  });
  if (!result) {
    throw new AppError('CONFLICT', 'An account with this email already exists', {
      fields: { email: 'is already registered' },
    });
  }
  return sessionFor(ctx, result.user, result.refresh);
}
