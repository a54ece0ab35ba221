import { z } from 'zod';
import { RoleSchema } from './auth';
import { PAYMENT_PROVIDERS } from './vocabulary';

/**
 * The shapes a user receives about their own account and sessions, declared once: each is the `.output()` of its
 * procedures and, through its inferred type, the return type of the service building it.
 */

/** A user as they (and staff) see them: never a secret, a hash or a token. */
export const UserViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  subscriptionExpiresAt: z.string().nullable().describe('ISO 8601, UTC'),
  isSubscriptionActive: z.boolean(),
  totpEnabled: z.boolean(),
});
export type UserView = z.infer<typeof UserViewSchema>;

export const MeViewSchema = z.object({ user: UserViewSchema });
export type MeView = z.infer<typeof MeViewSchema>;

/** A user as the admin user list shows them. */
export const AdminUserViewSchema = UserViewSchema.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type AdminUserView = z.infer<typeof AdminUserViewSchema>;

export const AdminUserPageViewSchema = z.object({
  items: z.array(AdminUserViewSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AdminUserPageView = z.infer<typeof AdminUserPageViewSchema>;

/** A new or refreshed session: who signed in and the short-lived token to call with. */
const SignedInViewSchema = z.object({ user: UserViewSchema, accessToken: z.string() });

/** REST clients (scripts, the API docs) get both tokens in the body, as the contract says. */
export const TokensViewSchema = SignedInViewSchema.extend({ refreshToken: z.string() });
export type TokensView = z.infer<typeof TokensViewSchema>;

export const RefreshedTokensViewSchema = TokensViewSchema.omit({ user: true });
export type RefreshedTokensView = z.infer<typeof RefreshedTokensViewSchema>;

/** What the SPA gets instead of a refresh token (that one stays in an httpOnly cookie). */
export const BrowserSessionViewSchema = SignedInViewSchema.extend({
  accessTokenExpiresAt: z.string(),
  totpEnrollmentRequired: z.boolean(),
});
export type BrowserSessionView = z.infer<typeof BrowserSessionViewSchema>;

/** One signed-in device: a refresh-token family still live. */
export const SessionViewSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  startedAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

export const TotpStatusViewSchema = z.object({
  enabled: z.boolean(),
  recoveryCodesLeft: z.number().int(),
  required: z.boolean(),
});
export type TotpStatusView = z.infer<typeof TotpStatusViewSchema>;

/** A new authenticator secret, shown while enrolling and never again. */
export const TotpEnrollmentViewSchema = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrCodeDataUrl: z.string(),
});
export type TotpEnrollmentView = z.infer<typeof TotpEnrollmentViewSchema>;

/** Recovery codes, shown this once. */
export const RecoveryCodesViewSchema = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodesView = z.infer<typeof RecoveryCodesViewSchema>;

/** The answer of an action that has nothing else to say. */
export const OkViewSchema = z.object({ ok: z.literal(true) });
export type OkView = z.infer<typeof OkViewSchema>;

/** What any client may learn about the server before signing in. */
export const SystemInfoViewSchema = z.object({
  name: z.literal('Tradepool'),
  version: z.string(),
  environment: z.enum(['development', 'production', 'test']),
  paymentProvider: z.enum(PAYMENT_PROVIDERS),
  serverTime: z.string().describe('ISO 8601, UTC'),
  demoAccounts: z.boolean().describe('whether the development demo accounts exist on this server'),
});
export type SystemInfoView = z.infer<typeof SystemInfoViewSchema>;
