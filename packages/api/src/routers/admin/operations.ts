import { MetricsSummaryViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { adminProcedure, router } from '../../trpc';

export const adminOperationsRouter = router({
  metrics: adminProcedure
    .input(z.void())
    .output(MetricsSummaryViewSchema)
    .query(({ ctx }) => ctx.metrics.summary()),
});
