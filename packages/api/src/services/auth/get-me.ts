import type { UserView } from '@tradepool/domain';
import type { Context } from '../../context';
import { loadSelf } from './account';
import { publicUser } from './users';

export async function getMe(ctx: Context): Promise<UserView> {
  return publicUser(await loadSelf(ctx), ctx.clock);
}
