import { LedgerCheckViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { checkLedger } from '../../services/money/ledger';
import { adminProcedure, router } from '../../trpc';

export const adminLedgerRouter = router({
  check: adminProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/admin/ledger/check',
        tags: ['admin'],
        summary: 'Prove the books balance',
      },
    })
    .input(z.void())
    .output(LedgerCheckViewSchema)
    .query(({ ctx }) => checkLedger(ctx.database)),
});
