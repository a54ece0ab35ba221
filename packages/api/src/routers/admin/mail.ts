import { OutboxMailViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { listOutbox } from '../../services/money/mail';
import { adminProcedure, router } from '../../trpc';

export const adminMailRouter = router({
  outbox: adminProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }).optional())
    .output(z.array(OutboxMailViewSchema))
    .query(({ ctx, input }) => listOutbox(ctx, input?.limit ?? 50)),
});
