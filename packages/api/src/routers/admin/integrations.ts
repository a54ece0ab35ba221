import {
  CreatedModelKeyViewSchema,
  DeliveryViewSchema,
  HeartbeatViewSchema,
  IngestStatsSchema,
  ModelKeysViewSchema,
  ModelKeyViewSchema,
  RotatedSecretViewSchema,
  WEBHOOK_OUTCOMES,
  WebhookSettingsViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { createModelKey, listModelKeys, revokeModelKey } from '../../services/model-api/keys';
import { heartbeats, ingestStats, listDeliveries } from '../../services/webhooks/deliveries';
import { listSecrets, rotateSecret } from '../../services/webhooks/secrets';
import { adminProcedure, router } from '../../trpc';
import { IdInput } from '../schemas';

export const adminIntegrationsRouter = router({
  webhook: adminProcedure
    .input(z.void())
    .output(WebhookSettingsViewSchema)
    .query(async ({ ctx }) => ({
      path: '/api/v1/webhook/model',
      secrets: await listSecrets(ctx),
      pinnedByEnvironment: ctx.config.modelWebhook.pinnedSecret !== null,
    })),
  rotateSecret: adminProcedure
    .input(
      z.strictObject({
        overlapMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60),
      }),
    )
    .output(RotatedSecretViewSchema)
    .mutation(({ ctx, input }) => rotateSecret(ctx, input.overlapMinutes)),
  deliveries: adminProcedure
    .input(
      z.strictObject({
        outcome: z.enum(WEBHOOK_OUTCOMES).optional(),
        poolId: z.string().max(64).optional(),
        before: z.iso.datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(z.array(DeliveryViewSchema))
    .query(({ ctx, input }) =>
      listDeliveries(ctx, { ...input, before: input.before ? new Date(input.before) : undefined }),
    ),
  heartbeats: adminProcedure
    .input(z.void())
    .output(z.array(HeartbeatViewSchema))
    .query(({ ctx }) => heartbeats(ctx)),
  stats: adminProcedure
    .input(z.void())
    .output(IngestStatsSchema)
    .query(({ ctx }) => ingestStats(ctx)),
  /** Model API keys (CONTRACT §7): the secret is in the answer to `createModelKey` and nowhere else, ever. */
  modelKeys: adminProcedure
    .input(z.void())
    .output(ModelKeysViewSchema)
    .query(async ({ ctx }) => ({ path: '/api/v1/model/pools', items: await listModelKeys(ctx) })),
  createModelKey: adminProcedure
    .input(z.strictObject({ name: z.string().trim().min(1).max(100) }))
    .output(CreatedModelKeyViewSchema)
    .mutation(({ ctx, input }) => createModelKey(ctx, input.name)),
  revokeModelKey: adminProcedure
    .input(IdInput)
    .output(ModelKeyViewSchema)
    .mutation(({ ctx, input }) => revokeModelKey(ctx, input.id)),
});
