import type { Context } from '../../context';
import { loadSelf } from './account';
import { type PublicUser, publicUser } from './users';

export async function getMe(ctx: Context): Promise<PublicUser> {
  return publicUser(await loadSelf(ctx), ctx.clock);
}
