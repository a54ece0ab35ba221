import { RoleSchema } from '@tradepool/domain';
import { z } from 'zod';

export const UserOutput = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  subscriptionExpiresAt: z.string().nullable().describe('ISO 8601, UTC'),
  isSubscriptionActive: z.boolean(),
  totpEnabled: z.boolean(),
});

export const AdminUserOutput = UserOutput.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
});

/** What the SPA gets instead of a refresh token (that one stays in an httpOnly cookie). */
export const BrowserSessionOutput = z.object({
  user: UserOutput,
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  totpEnrollmentRequired: z.boolean(),
});

export const IdInput = z.strictObject({ id: z.string().min(1).max(64) });
