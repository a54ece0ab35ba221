import { ChangePasswordInput, DisplayName, LoginInput, RegisterInput } from '@tradepool/domain';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { Context } from '../context';
import { clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from '../cookies';
import { beginTotpEnrollment } from '../services/auth/begin-totp-enrollment';
import { changePassword } from '../services/auth/change-password';
import { confirmTotpEnrollment } from '../services/auth/confirm-totp-enrollment';
import { disableTotp } from '../services/auth/disable-totp';
import { getMe } from '../services/auth/get-me';
import type { IssuedSession } from '../services/auth/issue-session';
import { listSessions } from '../services/auth/list-sessions';
import { recoveryCodesLeft } from '../services/auth/recovery-codes-left';
import { refreshSession } from '../services/auth/refresh-session';
import { regenerateRecoveryCodes } from '../services/auth/regenerate-recovery-codes';
import { register } from '../services/auth/register';
import { revokeSession } from '../services/auth/revoke-session';
import { signIn } from '../services/auth/sign-in';
import { signOut } from '../services/auth/sign-out';
import { updateProfile } from '../services/auth/update-profile';
import { streamEvents } from '../services/events/event-stream';
import { enrollingProcedure, protectedProcedure, publicProcedure, router } from '../trpc';
import { sessionSignal } from './pools';
import { BrowserSessionOutput, UserOutput } from './schemas';

const TokensOutput = z.object({ user: UserOutput, accessToken: z.string(), refreshToken: z.string() });

/** REST clients (scripts, the API docs) get both tokens in the body, as the contract says. */
export const authRouter = router({
  register: publicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/register', tags: ['auth'], summary: 'Create an account' },
      successStatus: 201,
    })
    .input(RegisterInput)
    .output(TokensOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await register(ctx, input);
      return { user: session.user, accessToken: session.accessToken, refreshToken: session.refreshToken };
    }),
  login: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/login',
        tags: ['auth'],
        summary: 'Sign in (with `totp` when 2FA is on)',
      },
    })
    .input(LoginInput)
    .output(TokensOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await signIn(ctx, input);
      return { user: session.user, accessToken: session.accessToken, refreshToken: session.refreshToken };
    }),
  refresh: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/refresh',
        tags: ['auth'],
        summary: 'Rotate tokens (the old refresh token is spent)',
      },
    })
    .input(z.strictObject({ refreshToken: z.string().min(1).max(200) }))
    .output(z.object({ accessToken: z.string(), refreshToken: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const session = await refreshSession(ctx, input.refreshToken);
      return { accessToken: session.accessToken, refreshToken: session.refreshToken };
    }),
  logout: enrollingProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/logout', tags: ['auth'], summary: 'End this session' },
      successStatus: 204,
    })
    .input(z.strictObject({ refreshToken: z.string().min(1).max(200).optional() }).optional())
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      await signOut(ctx, { refreshToken: input?.refreshToken });
    }),
  me: enrollingProcedure
    .meta({ openapi: { method: 'GET', path: '/auth/me', tags: ['auth'], summary: 'The signed-in user' } })
    .input(z.void())
    .output(z.object({ user: UserOutput }))
    .query(async ({ ctx }) => ({ user: await getMe(ctx) })),
});

function browserSession(ctx: Context, session: IssuedSession) {
  setSessionCookies(ctx, session);
  return {
    user: session.user,
    accessToken: session.accessToken,
    accessTokenExpiresAt: session.accessTokenExpiresAt.toISOString(),
    totpEnrollmentRequired:
      ctx.config.requireAdmin2fa && session.user.role !== 'INVESTOR' && !session.user.totpEnabled,
  };
}

/** The SPA's sign-in: the refresh token goes into an httpOnly cookie and never reaches page scripts. */
export const sessionRouter = router({
  signUp: publicProcedure
    .input(RegisterInput)
    .output(BrowserSessionOutput)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await register(ctx, input))),
  signIn: publicProcedure
    .input(LoginInput)
    .output(BrowserSessionOutput)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await signIn(ctx, input))),
  /**
   * Silent refresh from the cookie. A visitor without one gets `null` (not an error: nothing is wrong); a cookie that
   * no longer opens a session is cleared and answered UNAUTHORIZED.
   */
  refresh: publicProcedure
    .input(z.void())
    .output(BrowserSessionOutput.nullable())
    .mutation(async ({ ctx }) => {
      const token = ctx.cookies[REFRESH_COOKIE];
      if (!token) {
        return null;
      }
      try {
        return browserSession(ctx, await refreshSession(ctx, token));
      } catch (error) {
        clearSessionCookies(ctx);
        throw error;
      }
    }),
  signOut: publicProcedure
    .input(z.void())
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await signOut(ctx, { refreshToken: ctx.cookies[REFRESH_COOKIE] });
      clearSessionCookies(ctx);
      return { ok: true as const };
    }),
});

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
    .subscription(async function* ({ ctx, input, signal }) {
      const stop = sessionSignal(ctx, signal);
      const afterId = input?.lastEventId ? Number(input.lastEventId) : null;
      for await (const event of streamEvents(ctx.events, { userId: ctx.user.id }, afterId, stop)) {
        yield tracked(event.id, event);
      }
    }),
  updateProfile: protectedProcedure
    .input(z.strictObject({ displayName: DisplayName }))
    .output(UserOutput)
    .mutation(({ ctx, input }) => updateProfile(ctx, input)),
  /** Ends every other session; this device gets a new one. */
  changePassword: protectedProcedure
    .input(ChangePasswordInput)
    .output(BrowserSessionOutput)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await changePassword(ctx, input))),
  sessions: protectedProcedure
    .input(z.void())
    .output(
      z.array(
        z.object({
          id: z.string(),
          current: z.boolean(),
          startedAt: z.string(),
          lastUsedAt: z.string(),
          expiresAt: z.string(),
          ip: z.string().nullable(),
          userAgent: z.string().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(z.strictObject({ sessionId: z.string().min(1).max(64) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeSession(ctx, input.sessionId);
      return { ok: true as const };
    }),
  totp: router({
    status: enrollingProcedure
      .input(z.void())
      .output(z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int(), required: z.boolean() }))
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
      .output(z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeDataUrl: z.string() }))
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
      .output(z.object({ recoveryCodes: z.array(z.string()) }))
      .mutation(({ ctx, input }) => confirmTotpEnrollment(ctx, input.code)),
    disable: protectedProcedure
      .input(z.strictObject({ password: z.string().min(1).max(256), code: z.string().trim().min(6).max(32) }))
      .output(z.object({ ok: z.literal(true) }))
      .mutation(async ({ ctx, input }) => {
        await disableTotp(ctx, input);
        return { ok: true as const };
      }),
    regenerateRecoveryCodes: protectedProcedure
      .input(z.strictObject({ code: z.string().trim().min(6).max(32) }))
      .output(z.object({ recoveryCodes: z.array(z.string()) }))
      .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx, input.code)),
  }),
});
