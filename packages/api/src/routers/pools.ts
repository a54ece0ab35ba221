import {
  ModelStatusViewSchema,
  PnlPointSchema,
  POOL_STATUSES,
  PoolHistoryEntrySchema,
  PoolListViewSchema,
  PoolViewSchema,
  PositionViewSchema,
  STRATEGIES,
  STRATEGY_TEMPLATES,
  StrategyTemplateSchema,
  TradeViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import type { Context } from '../context';
import { EventStream } from '../services/events/event-stream';
import { poolView } from '../services/pools/pool-view';
import { findPool, listPools, poolHistory } from '../services/pools/pools-service';
import { currentPositions, modelStatus, pnlSeries, recentTrades } from '../services/pools/trading-data';
import { protectedProcedure, router } from '../trpc';
import { streamRefusal } from '../trpc-errors';
import { IdInput } from './schemas';

const LastEventId = z
  .string()
  .regex(/^\d{1,18}$/, 'must be an event id')
  .nullish();

/**
 * Aborts when the client leaves, the access token expires, or the session is revoked: a stream never outlives the
 * credentials that opened it.
 */
export function sessionSignal(ctx: Context, signal: AbortSignal | undefined): AbortSignal {
  const controller = new AbortController();
  const user = ctx.user;
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  if (user) {
    const timer = setTimeout(stop, Math.max(0, user.expiresAt.getTime() - ctx.clock.now().getTime()));
    timer.unref();
    const onRevoked = (revocation: { userId: string; sessionId?: string }) => {
      if (
        revocation.userId === user.id &&
        (!revocation.sessionId || revocation.sessionId === user.sessionId)
      ) {
        stop();
      }
    };
    ctx.sessionEvents.on('revoked', onRevoked);
    controller.signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        ctx.sessionEvents.off('revoked', onRevoked);
        signal?.removeEventListener('abort', stop);
      },
      { once: true },
    );
  }
  return controller.signal;
}

export const poolsRouter = router({
  list: protectedProcedure
    .meta({
      openapi: { method: 'GET', path: '/pools', tags: ['pools'], summary: 'Pools, optionally by status' },
    })
    .input(
      z.strictObject({
        status: z
          .preprocess(
            (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
            z.array(z.enum(POOL_STATUSES)),
          )
          .optional()
          .describe('one status, or several separated by commas'),
        strategy: z.enum(STRATEGIES).optional(),
      }),
    )
    .output(PoolListViewSchema)
    .query(async ({ ctx, input }) => ({ items: await listPools(ctx, input) })),
  byId: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/pools/{id}', tags: ['pools'], summary: 'One pool' } })
    .input(IdInput)
    .output(PoolViewSchema)
    .query(async ({ ctx, input }) => poolView(await findPool(ctx, input.id))),
  history: protectedProcedure
    .meta({
      openapi: { method: 'GET', path: '/pools/{id}/history', tags: ['pools'], summary: 'Status timeline' },
    })
    .input(IdInput)
    .output(z.array(PoolHistoryEntrySchema))
    .query(({ ctx, input }) => poolHistory(ctx, input.id, ctx.user)),
  trades: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/pools/{id}/trades',
        tags: ['pools'],
        summary: 'Recent trades, newest first',
      },
    })
    .input(
      z.strictObject({
        id: z.string().min(1).max(64),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
    )
    .output(z.array(TradeViewSchema))
    .query(({ ctx, input }) => recentTrades(ctx, input.id, input.limit)),
  positions: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/pools/{id}/positions',
        tags: ['pools'],
        summary: 'Current positions',
      },
    })
    .input(IdInput)
    .output(z.array(PositionViewSchema))
    .query(({ ctx, input }) => currentPositions(ctx, input.id)),
  pnl: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/pools/{id}/pnl',
        tags: ['pools'],
        summary: 'Equity and NAV over time',
      },
    })
    .input(
      z.strictObject({
        id: z.string().min(1).max(64),
        since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
        points: z.coerce.number().int().min(10).max(2000).default(500),
      }),
    )
    .output(z.array(PnlPointSchema))
    .query(({ ctx, input }) =>
      pnlSeries(ctx, input.id, input.since ? new Date(input.since) : null, input.points),
    ),
  modelStatus: protectedProcedure
    .input(IdInput)
    .output(ModelStatusViewSchema)
    .query(async ({ ctx, input }) => modelStatus(await findPool(ctx, input.id))),
  templates: protectedProcedure
    .input(z.void())
    .output(z.array(StrategyTemplateSchema))
    .query(() => Object.values(STRATEGY_TEMPLATES)),
  /** The pool's live events (SSE), resumable from the last id seen. */
  onEvents: protectedProcedure
    .input(z.strictObject({ poolId: z.string().min(1).max(64), lastEventId: LastEventId }))
    .subscription(async ({ ctx, input, signal }) => {
      await findPool(ctx, input.poolId).catch(streamRefusal);
      const afterId = input.lastEventId ? Number(input.lastEventId) : null;
      return new EventStream(ctx.events, { poolId: input.poolId }, afterId, () => sessionSignal(ctx, signal));
    }),
});
