import type { Db, User } from '@tradepool/db';
import { AppError } from '@tradepool/domain';
import { type Context, requireUser } from '../../context';
import { lockedError } from './totp';
import { findUserById } from './users';

/** The signed-in caller's own row, read through `handle` (a transaction when the caller writes). */
export async function loadSelf(ctx: Context, handle: Db = ctx.database.db): Promise<User> {
  const sessionUser = requireUser(ctx);
  const user = await findUserById(handle, ctx.database, sessionUser.id);
  if (!user) {
    throw new AppError('UNAUTHORIZED', 'Sign in required');
  }
  return user;
}

/** The error for a refused code on an account page: 429 with the lock's remaining time, or 400 naming `code`. */
export async function secondFactorRefusal(
  ctx: Context,
  user: User,
  result: { locked: boolean },
): Promise<AppError> {
  if (result.locked) {
    return lockedError((await findUserById(ctx.database.db, ctx.database, user.id)) ?? user, ctx.clock.now());
  }
  return new AppError('BAD_REQUEST', 'Invalid two-factor code', { fields: { code: 'is invalid' } });
}
