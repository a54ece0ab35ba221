import {
  BrowserSessionViewSchema,
  ChangePasswordInput,
  DisplayName,
  OkViewSchema,
  RecoveryCodesViewSchema,
  SessionViewSchema,
  TotpEnrollmentViewSchema,
  TotpStatusViewSchema,
  UserViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { beginTotpEnrollment } from '../services/auth/begin-totp-enrollment';
import { changePassword } from '../services/auth/change-password';
import { confirmTotpEnrollment } from '../services/auth/confirm-totp-enrollment';
import { disableTotp } from '../services/auth/disable-totp';
import { getMe } from '../services/auth/get-me';
import { listSessions } from '../services/auth/list-sessions';
import { recoveryCodesLeft } from '../services/auth/recovery-codes-left';
import { regenerateRecoveryCodes } from '../services/auth/regenerate-recovery-codes';
import { revokeSession } from '../services/auth/revoke-session';
import { updateProfile } from '../services/auth/update-profile';
import { EventStream } from '../services/events/event-stream';
import { enrollingProcedure, protectedProcedure, router } from '../trpc';
import { browserSession } from './browser-session';
import { sessionSignal } from './pools';

export const accountRouter = router({
  /** The caller's own money events (`user_` scope) over SSE, resumable from the last id seen. */
  onEvents: protectedProcedure
    .input(
      z
        .strictObject({
          lastEventId: z
            .string()
            .regex(/^\d{1,18}$/, 'must be an event id')
            .nullish(),
        })
        .optional(),
    )
    .subscription(({ ctx, input, signal }) => {
      const afterId = input?.lastEventId ? Number(input.lastEventId) : null;
      return new EventStream(ctx.events, { userId: ctx.user.id }, afterId, () => sessionSignal(ctx, signal));
    }),
  updateProfile: protectedProcedure
    .input(z.strictObject({ displayName: DisplayName }))
    .output(UserViewSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx, input)),
  /** Ends every other session; this device gets a new one. */
  changePassword: protectedProcedure
    .input(ChangePasswordInput)
    .output(BrowserSessionViewSchema)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await changePassword(ctx, input))),
  sessions: protectedProcedure
    .input(z.void())
    .output(z.array(SessionViewSchema))
    .query(({ ctx }) => listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(z.strictObject({ sessionId: z.string().min(1).max(64) }))
    .output(OkViewSchema)
    .mutation(async ({ ctx, input }) => {
      await revokeSession(ctx, input.sessionId);
      return { ok: true as const };
    }),
  totp: router({
    status: enrollingProcedure
      .input(z.void())
      .output(TotpStatusViewSchema)
      .query(async ({ ctx }) => {
        const user = await getMe(ctx);
        return {
          enabled: user.totpEnabled,
          recoveryCodesLeft: user.totpEnabled ? await recoveryCodesLeft(ctx) : 0,
          required: ctx.config.requireAdmin2fa && user.role !== 'INVESTOR',
        };
      }),
    begin: enrollingProcedure
      .input(z.void())
      .output(TotpEnrollmentViewSchema)
      .mutation(({ ctx }) => beginTotpEnrollment(ctx)),
    confirm: enrollingProcedure
      .input(
        z.strictObject({
          code: z
            .string()
            .trim()
            .regex(/^\d{6}$/, 'must be the 6-digit code from your app'),
        }),
      )
      .output(RecoveryCodesViewSchema)
      .mutation(({ ctx, input }) => confirmTotpEnrollment(ctx, input.code)),
    disable: protectedProcedure
      .input(z.strictObject({ password: z.string().min(1).max(256), code: z.string().trim().min(6).max(32) }))
      .output(OkViewSchema)
      .mutation(async ({ ctx, input }) => {
        await disableTotp(ctx, input);
        return { ok: true as const };
      }),
    regenerateRecoveryCodes: protectedProcedure
      .input(z.strictObject({ code: z.string().trim().min(6).max(32) }))
      .output(RecoveryCodesViewSchema)
      .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx, input.code)),
  }),
});
