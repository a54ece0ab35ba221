import { SystemInfoViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  info: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/info', tags: ['system'], summary: 'Server name, version and mode' },
    })
    .input(z.void())
    .output(SystemInfoViewSchema)
    .query(({ ctx }) => ({
      name: 'Tradepool' as const,
      version: ctx.config.version,
      environment: ctx.config.environment,
      paymentProvider: ctx.config.paymentProvider,
      serverTime: ctx.clock.now().toISOString(),
      demoAccounts: ctx.config.demoAccounts,
    })),
});
