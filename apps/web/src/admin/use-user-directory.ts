import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@tradepool/api';
import { trpc } from '../lib/trpc';

export type AdminUser = RouterOutputs['admin']['users']['list']['items'][number];

const PAGE_SIZE = 100;
/** Enough for any queue we expect; past it people show by id. */
const MAX_PAGES = 20;

/**
 * Who the given user ids are. Withdrawals only carry `userId` and there is no user-by-id procedure, so this pages
 * through `admin.users.list` (newest first) until every id is found. ADMIN only, like the list itself.
 */
export function useUserDirectory(userIds: readonly string[]) {
  const utils = trpc.useUtils();
  const wanted = [...new Set(userIds)].sort();
  return useQuery({
    queryKey: ['admin', 'user-directory', wanted],
    enabled: wanted.length > 0,
    staleTime: 60_000,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const found = new Map<string, AdminUser>();
      const missing = new Set(wanted);
      for (let page = 1; page <= MAX_PAGES && missing.size > 0; page += 1) {
        const answer = await utils.client.admin.users.list.query({ page, pageSize: PAGE_SIZE });
        for (const user of answer.items) {
          found.set(user.id, user);
          missing.delete(user.id);
        }
        if (page * PAGE_SIZE >= answer.total) {
          break;
        }
      }
      return found;
    },
  });
}
