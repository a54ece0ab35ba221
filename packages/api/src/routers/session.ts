import { BrowserSessionViewSchema, LoginInput, OkViewSchema, RegisterInput } from '@tradepool/domain';
import { z } from 'zod';
import { clearSessionCookies, REFRESH_COOKIE } from '../cookies';
import { refreshSession } from '../services/auth/refresh-session';
import { register } from '../services/auth/register';
import { signIn } from '../services/auth/sign-in';
import { signOut } from '../services/auth/sign-out';
import { publicProcedure, router } from '../trpc';
import { browserSession } from './browser-session';

/** The SPA's sign-in: the refresh token goes into an httpOnly cookie and never reaches page scripts. */
export const sessionRouter = router({
  signUp: publicProcedure
    .input(RegisterInput)
    .output(BrowserSessionViewSchema)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await register(ctx, input))),
  signIn: publicProcedure
    .input(LoginInput)
    .output(BrowserSessionViewSchema)
    .mutation(async ({ ctx, input }) => browserSession(ctx, await signIn(ctx, input))),
  /**
   * Silent refresh from the cookie. A visitor without one gets `null` (not an error: nothing is wrong); a cookie that
   * no longer opens a session is cleared and answered UNAUTHORIZED.
   */
  refresh: publicProcedure
    .input(z.void())
    .output(BrowserSessionViewSchema.nullable())
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
    .output(OkViewSchema)
    .mutation(async ({ ctx }) => {
      await signOut(ctx, { refreshToken: ctx.cookies[REFRESH_COOKIE] });
      clearSessionCookies(ctx);
      return { ok: true as const };
    }),
});
