import { z } from 'zod';
import { PoolStatusSchema } from './enums';
import { MAIL_STATUSES } from './vocabulary';

/**
 * The shapes the staff screens receive, declared once: each is the `.output()` of its procedure and, through its
 * inferred type, the return type of the service building it.
 */

/** The figures on the admin overview. */
export const DashboardSummarySchema = z.object({
  aumCents: z.number().int(),
  openPools: z.number().int(),
  activeSubscribers: z.number().int(),
  investors: z.number().int(),
  pendingWithdrawals: z.number().int(),
  pendingWithdrawalsCents: z.number().int(),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

export const OutboxMailViewSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  kind: z.string(),
  status: z.enum(MAIL_STATUSES),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMailView = z.infer<typeof OutboxMailViewSchema>;

/** A webhook signing secret as staff see it: never the secret, only its hint. */
export const WebhookSecretViewSchema = z.object({
  id: z.string(),
  hint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
});
export type WebhookSecretView = z.infer<typeof WebhookSecretViewSchema>;

export const WebhookSettingsViewSchema = z.object({
  path: z.string(),
  secrets: z.array(WebhookSecretViewSchema),
  pinnedByEnvironment: z.boolean(),
});
export type WebhookSettingsView = z.infer<typeof WebhookSettingsViewSchema>;

/** A new signing secret: the only answer that ever holds it. */
export const RotatedSecretViewSchema = z.object({
  secret: z.string(),
  hint: z.string(),
  previousValidUntil: z.string(),
});
export type RotatedSecretView = z.infer<typeof RotatedSecretViewSchema>;

export const WEBHOOK_OUTCOMES = ['ACCEPTED', 'DUPLICATE', 'REFUSED'] as const;

export const DeliveryViewSchema = z.object({
  id: z.string(),
  webhookId: z.string().nullable(),
  receivedAt: z.string(),
  outcome: z.enum(WEBHOOK_OUTCOMES),
  httpStatus: z.number().int(),
  reason: z.string().nullable(),
  eventType: z.string().nullable(),
  poolId: z.string().nullable(),
  ip: z.string().nullable(),
  bodyBytes: z.number().int(),
});
export type DeliveryView = z.infer<typeof DeliveryViewSchema>;

/** The model's last sign of life in one trading pool. */
export const HeartbeatViewSchema = z.object({
  poolId: z.string(),
  name: z.string(),
  status: PoolStatusSchema,
  lastHeartbeatAt: z.string().nullable(),
});
export type HeartbeatView = z.infer<typeof HeartbeatViewSchema>;

export const IngestStatsSchema = z.object({
  perMinute: z.array(z.object({ minute: z.string(), accepted: z.number().int(), refused: z.number().int() })),
  acceptedLastHour: z.number().int(),
  acceptedLastMinute: z.number().int(),
  refusedLastDay: z.number().int(),
});
export type IngestStats = z.infer<typeof IngestStatsSchema>;

export const ModelKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, to tell keys apart; never enough to use it. */
  prefix: z.string(),
  createdAt: z.string(),
  createdById: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ModelKeyView = z.infer<typeof ModelKeyViewSchema>;

export const ModelKeysViewSchema = z.object({ path: z.string(), items: z.array(ModelKeyViewSchema) });
export type ModelKeysView = z.infer<typeof ModelKeysViewSchema>;

/** A new model API key: the only answer that ever holds the key itself. */
export const CreatedModelKeyViewSchema = z.object({ key: z.string(), apiKey: ModelKeyViewSchema });
export type CreatedModelKeyView = z.infer<typeof CreatedModelKeyViewSchema>;
