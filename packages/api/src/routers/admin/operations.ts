import { z } from 'zod';
import { adminProcedure, router } from '../../trpc';

const ms = z.number().nonnegative().nullable();
const counts = z.record(z.string(), z.number());

/** The numbers of GET /metrics, for this process, condensed for the admin overview page. */
export const MetricsSummaryOutput = z.object({
  at: z.string(),
  process: z.object({
    pid: z.number().int(),
    host: z.string(),
    uptimeSec: z.number(),
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
  }),
  http: z.object({
    requests: z.number(),
    serverErrors: z.number(),
    p50Ms: ms,
    p95Ms: ms,
    routes: z.array(
      z.object({ route: z.string(), requests: z.number(), serverErrors: z.number(), p95Ms: ms }),
    ),
  }),
  webhooks: z.object({ total: z.number(), byOutcome: counts }),
  realtime: z.object({ sockets: z.number(), streams: z.number() }),
  dispatch: z.object({ events: z.number(), lagP50Ms: ms, lagP99Ms: ms }),
  scheduler: z.object({ runs: z.number(), failedRuns: z.number(), transitions: counts }),
  database: z.object({
    dialect: z.string(),
    total: z.number(),
    idle: z.number(),
    inUse: z.number(),
    waiting: z.number(),
  }),
});

export const adminOperationsRouter = router({
  metrics: adminProcedure
    .input(z.void())
    .output(MetricsSummaryOutput)
    .query(({ ctx }) => ctx.metrics.summary()),
});
