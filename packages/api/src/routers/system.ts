import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

export const SystemInfo = z.object({
  name: z.literal('Tradepool'),
  version: z.string(),
  environment: z.enum(['development', 'production', 'test']),
  paymentProvider: z.enum(['demo', 'stripe']),
  serverTime: z.string().describe('ISO 8601, UTC'),
  demoAccounts: z.boolean().describe('whether the development demo accounts exist on this server'),
});

export const systemRouter = router({
  info: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/info', tags: ['system'], summary: 'Server name, version and mode' },
    })
    .input(z.void())
    .output(SystemInfo)
    .query(({ ctx }) => ({
      name: 'Tradepool' as const,
      version: ctx.config.version,
      environment: ctx.config.environment,
      paymentProvider: ctx.config.paymentProvider,
      serverTime: ctx.clock.now().toISOString(),
      demoAccounts: ctx.config.demoAccounts,
    })),
});
