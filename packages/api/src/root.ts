import { adminAuditRouter } from './routers/admin/audit';
import { adminIntegrationsRouter } from './routers/admin/integrations';
import { adminUsersRouter } from './routers/admin/users';
import { accountRouter, authRouter, sessionRouter } from './routers/auth';
import { adminPoolsRouter, poolsRouter } from './routers/pools';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  session: sessionRouter,
  account: accountRouter,
  pools: poolsRouter,
  admin: router({
    pools: adminPoolsRouter,
    users: adminUsersRouter,
    audit: adminAuditRouter,
    integrations: adminIntegrationsRouter,
  }),
});

export type AppRouter = typeof appRouter;
