import { AuditChainViewSchema, AuditPageViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { listAudit, verifyAuditChain } from '../../services/audit/audit-log';
import { adminProcedure, router } from '../../trpc';

const IsoDate = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const adminAuditRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/audit',
        tags: ['admin'],
        summary: 'Audit entries, newest first',
      },
    })
    .input(
      z.strictObject({
        actor: z.string().trim().max(254).optional().describe('user id or email'),
        action: z.string().trim().max(80).optional().describe('action, or its prefix (e.g. "auth.")'),
        from: IsoDate.optional(),
        to: IsoDate.optional(),
        cursor: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        /** Sent by tRPC's infinite queries; pages always go from newest to oldest. */
        direction: z.enum(['forward', 'backward']).optional(),
      }),
    )
    .output(AuditPageViewSchema)
    .query(({ ctx, input }) =>
      listAudit(ctx.database, {
        ...input,
        from: input.from ? new Date(input.from) : undefined,
        to: input.to ? new Date(input.to) : undefined,
      }),
    ),
  verify: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/audit/verify',
        tags: ['admin'],
        summary: 'Check the hash chain',
      },
    })
    .input(z.void())
    .output(AuditChainViewSchema)
    .query(({ ctx }) => verifyAuditChain(ctx.database)),
});
