import { DashboardSummarySchema } from '@tradepool/domain';
import { z } from 'zod';
import { dashboardSummary } from '../../services/admin/dashboard-summary';
import { managerProcedure, router } from '../../trpc';

export const adminDashboardRouter = router({
  summary: managerProcedure
    .input(z.void())
    .output(DashboardSummarySchema)
    .query(({ ctx }) => dashboardSummary(ctx)),
});
