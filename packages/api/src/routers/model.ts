import { ModelPoolListViewSchema } from '@tradepool/domain';
import { z } from 'zod';
import { listModelPools } from '../services/model-api/pools';
import { modelProcedure, router } from '../trpc';

/** For the trading model, with a model API key (CONTRACT §7). */
export const modelRouter = router({
  pools: modelProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/model/pools',
        tags: ['model'],
        summary: 'Pools to trade (ACTIVE, PAUSED, CLOSED, SETTLING) with their capital and its flows',
        description:
          'Authenticate with `Authorization: Bearer <model API key>` (created by an admin, or MODEL_API_KEY); ' +
          'user access tokens are refused here.',
      },
    })
    .input(z.void())
    .output(ModelPoolListViewSchema)
    .query(async ({ ctx }) => ({ items: await listModelPools(ctx) })),
});
