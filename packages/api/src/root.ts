import { accountRouter } from './routers/account';
import { adminAuditRouter } from './routers/admin/audit';
import { adminDashboardRouter } from './routers/admin/dashboard';
import { adminIntegrationsRouter } from './routers/admin/integrations';
import { adminLedgerRouter } from './routers/admin/ledger';
import { adminMailRouter } from './routers/admin/mail';
import { adminOperationsRouter } from './routers/admin/operations';
import { adminPoolsRouter } from './routers/admin/pools';
import { adminSettlementRouter } from './routers/admin/settlement';
import { adminUsersRouter } from './routers/admin/users';
import { adminWithdrawalsRouter } from './routers/admin/withdrawals';
import { authRouter } from './routers/auth';
import { investmentsRouter } from './routers/investments';
import { modelRouter } from './routers/model';
import { poolsRouter } from './routers/pools';
import { sessionRouter } from './routers/session';
import { statementsRouter } from './routers/statements';
import { subscriptionRouter } from './routers/subscription';
import { systemRouter } from './routers/system';
import { walletRouter } from './routers/wallet';
import { withdrawalsRouter } from './routers/withdrawals';
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
