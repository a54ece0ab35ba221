import { adminAuditRouter } from './routers/admin/audit';
import { adminUsersRouter } from './routers/admin/users';
import { accountRouter, authRouter, sessionRouter } from './routers/auth';
import { systemRouter } from './routers/system';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  session: sessionRouter,
  account: accountRouter,
  admin: router({
    users: adminUsersRouter,
    audit: adminAuditRouter,
  }),
});

export type AppRouter = typeof appRouter;
