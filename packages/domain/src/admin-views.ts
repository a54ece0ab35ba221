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

/** One audit log entry: who did what to what, chained to the one before by its hash. */
export const AuditEntryViewSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

export const AuditPageViewSchema = z.object({
  items: z.array(AuditEntryViewSchema),
  /** Entries older than this sequence number are the next page; null on the last page. */
  nextCursor: z.number().int().nullable(),
});
export type AuditPageView = z.infer<typeof AuditPageViewSchema>;

export const AuditChainViewSchema = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  /** The first entry that does not match its hash or its predecessor, when the chain is broken. */
  brokenAt: z.object({ seq: z.number().int(), id: z.string(), reason: z.string() }).nullable(),
  lastHash: z.string(),
});
export type AuditChainView = z.infer<typeof AuditChainViewSchema>;

/** One pool's books as the ledger shows them, and whether the model's reports explain its trading result. */
export const PoolBooksViewSchema = z.object({
  poolId: z.string(),
  name: z.string(),
  status: z.string(),
  /** Investors' money in, net of cancellations and refunds. */
  capitalInCents: z.number().int(),
  /** Gain (positive) or loss moved between the pool's trading and capital accounts at settlement. */
  tradingResultCents: z.number().int(),
  feesCents: z.number().int(),
  payoutsCents: z.number().int(),
  /** Capital + PnL of the model's last accepted report: what a settlement may pay without an override. */
  reportedEquityCents: z.number().int(),
  /** Settled away from the reported equity by an audited ADMIN override within 5 %. */
  overridden: z.boolean(),
  /** The settled result is not what the reports support (and no audited override explains it). */
  unsupported: z.boolean(),
  message: z.string().nullable(),
});
export type PoolBooksView = z.infer<typeof PoolBooksViewSchema>;

export const LedgerCheckViewSchema = z.object({
  balanced: z.boolean(),
  totalCents: z.number().int(),
  accounts: z.number().int(),
  transfers: z.number().int(),
  /** Accounts below zero that may not be. */
  negative: z.array(z.object({ id: z.string(), balanceCents: z.number().int() })),
  /** Accounts whose stored balance differs from the sum of their transfers. */
  mismatched: z.array(
    z.object({ id: z.string(), balanceCents: z.number().int(), fromTransfersCents: z.number().int() }),
  ),
  pools: z
    .array(PoolBooksViewSchema)
    .describe(
      "each pool's capital in, trading result, fees and payouts; `unsupported` when no report explains it",
    ),
  unsupported: z.number().int().describe('pools whose settled trading result no model report supports'),
});
export type LedgerCheckView = z.infer<typeof LedgerCheckViewSchema>;

const Millis = z.number().nonnegative().nullable();
const Counts = z.record(z.string(), z.number());

/** The numbers of GET /metrics, for one process, condensed for the admin overview page. */
export const MetricsSummaryViewSchema = z.object({
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
    p50Ms: Millis,
    p95Ms: Millis,
    routes: z.array(
      z.object({ route: z.string(), requests: z.number(), serverErrors: z.number(), p95Ms: Millis }),
    ),
  }),
  webhooks: z.object({ total: z.number(), byOutcome: Counts }),
  realtime: z.object({ sockets: z.number(), streams: z.number() }),
  dispatch: z.object({ events: z.number(), lagP50Ms: Millis, lagP99Ms: Millis }),
  scheduler: z.object({ runs: z.number(), failedRuns: z.number(), transitions: Counts }),
  database: z.object({
    dialect: z.string(),
    total: z.number(),
    idle: z.number(),
    inUse: z.number(),
    waiting: z.number(),
  }),
});
export type MetricsSummaryView = z.infer<typeof MetricsSummaryViewSchema>;
