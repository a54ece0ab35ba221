import {
  LoginInput,
  MeViewSchema,
  RefreshedTokensViewSchema,
  RegisterInput,
  type TokensView,
  TokensViewSchema,
} from '@tradepool/domain';
import { z } from 'zod';
import { getMe } from '../services/auth/get-me';
import type { IssuedSession } from '../services/auth/issue-session';
import { refreshSession } from '../services/auth/refresh-session';
import { register } from '../services/auth/register';
import { signIn } from '../services/auth/sign-in';
import { signOut } from '../services/auth/sign-out';
import { enrollingProcedure, publicProcedure, router } from '../trpc';

/** REST clients (scripts, the API docs) get both tokens in the body, as the contract says. */
function restTokens(session: IssuedSession): TokensView {
  return { user: session.user, accessToken: session.accessToken, refreshToken: session.refreshToken };
}

export const authRouter = router({
  register: publicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/register', tags: ['auth'], summary: 'Create an account' },
      successStatus: 201,
    })
    .input(RegisterInput)
    .output(TokensViewSchema)
    .mutation(async ({ ctx, input }) => restTokens(await register(ctx, input))),
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
    .output(TokensViewSchema)
    .mutation(async ({ ctx, input }) => restTokens(await signIn(ctx, input))),
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
    .output(RefreshedTokensViewSchema)
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
    .output(MeViewSchema)
    .query(async ({ ctx }) => ({ user: await getMe(ctx) })),
});
