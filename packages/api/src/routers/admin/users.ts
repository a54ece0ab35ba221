import { AdminUserPageViewSchema, AdminUserViewSchema, RoleSchema } from '@tradepool/domain';
import { z } from 'zod';
import { listUsers, updateUser } from '../../services/users/admin-users';
import { adminProcedure, router } from '../../trpc';

const RoleEnum = RoleSchema;

export const adminUsersRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/users',
        tags: ['admin'],
        summary: 'Search and page through users',
      },
    })
    .input(
      z.strictObject({
        search: z.string().trim().max(120).optional(),
        role: RoleEnum.optional(),
        status: z.enum(['active', 'disabled']).optional(),
        page: z.coerce.number().int().min(1).max(100_000).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
    )
    .output(AdminUserPageViewSchema)
    .query(({ ctx, input }) => listUsers(ctx, input)),
  update: adminProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/admin/users/{id}',
        tags: ['admin'],
        summary: 'Change role, disable/enable, grant subscription days',
      },
    })
    .input(
      z.strictObject({
        id: z.string().min(1).max(64),
        role: RoleEnum.optional(),
        disabled: z.boolean().optional(),
        grantSubscriptionDays: z.number().int().min(1).max(3660).optional(),
      }),
    )
    .output(AdminUserViewSchema)
    .mutation(({ ctx, input }) => {
      const { id, ...change } = input;
      return updateUser(ctx, id, change);
    }),
});
