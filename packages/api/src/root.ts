import { adminAuditRouter } from './routers/admin/audit';
import { adminIntegrationsRouter } from './routers/admin/integrations';
import {
  adminDashboardRouter,
  adminLedgerRouter,
  adminMailRouter,
  adminSettlementRouter,
  adminWithdrawalsRouter,
} from './routers/admin/money';
import { adminOperationsRouter } from './routers/admin/operations';
import { adminUsersRouter } from './routers/admin/users';
import { accountRouter, authRouter, sessionRouter } from './routers/auth';
import { modelRouter } from './routers/model';
import { investmentsRouter, subscriptionRouter, walletRouter, withdrawalsRouter } from './routers/money';
import { adminPoolsRouter, poolsRouter } from './routers/pools';
import { statementsRouter } from './routers/statements';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  session: sessionRouter,
  account: accountRouter,
  pools: poolsRouter,
  wallet: walletRouter,
  subscription: subscriptionRouter,
  investments: investmentsRouter,
  withdrawals: withdrawalsRouter,
  statements: statementsRouter,
  model: modelRouter,
  admin: router({
    withdrawals: adminWithdrawalsRouter,
    ledger: adminLedgerRouter,
    settlement: adminSettlementRouter,
    mail: adminMailRouter,
    dashboard: adminDashboardRouter,
    pools: adminPoolsRouter,
    users: adminUsersRouter,
    audit: adminAuditRouter,
    integrations: adminIntegrationsRouter,
    operations: adminOperationsRouter,
  }),
});

export type AppRouter = typeof appRouter;
