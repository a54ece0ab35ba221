import { AppError, isErrorCode, STAFF_ROLES } from '@tradepool/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { core, ZodError, ZodType } from 'zod';
import type { Context, Role, SessionUser } from './context';
import { verifyModelKey } from './services/model-api/keys';
import { toTRPCError } from './trpc-errors';
import { zodFieldErrors } from './zod-field-errors';

/**
 * The contract's error for any error a procedure raised: AppError keeps its own code (SUBSCRIPTION_REQUIRED is not a
 * tRPC code), input validation becomes BAD_REQUEST naming the fields, internal errors lose their message.
 */
export function appErrorOf(error: TRPCError): AppError {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return cause;
  }
  if (cause instanceof ZodError) {
    const fields = zodFieldErrors(cause);
    const list = Object.entries(fields)
      .map(([field, message]) => `${field} ${message}`)
      .join('; ');
    return new AppError('BAD_REQUEST', `Invalid input: ${list}`, { fields });
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    return new AppError('INTERNAL_SERVER_ERROR', 'Internal server error');
  }
  if (error.code === 'PARSE_ERROR') {
    return new AppError('BAD_REQUEST', 'Request body is not valid JSON');
  }
  return new AppError(isErrorCode(error.code) ? error.code : 'BAD_REQUEST', error.message);
}

/** Extra OpenAPI facts: the success status for procedures that create (201) or answer nothing (204). */
export type Meta = OpenApiMeta<{ successStatus?: 201 | 204 }>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const appError = appErrorOf(error);
      return {
        ...shape,
        message: appError.message,
        data: {
          code: shape.data.code,
          httpStatus: appError.status,
          appCode: appError.code,
          message: appError.message,
          fields: appError.fields ?? null,
          details: appError.details ?? null,
          retryAfterSec: appError.retryAfterSec ?? null,
          path: shape.data.path ?? null,
        },
      };
    },
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 30_000 },
    },
  });

/** A middleware as tRPC runs it: the output check is the one marked `_type: 'output'`. */
type Middleware = ((opts: { next: () => Promise<MiddlewareResult> }) => Promise<MiddlewareResult>) & {
  _type?: string;
};
type MiddlewareResult = { ok: true; data: unknown } | { ok: false };
interface ProcedureDef {
  output?: unknown;
  middlewares: Middleware[];
}

/** The output check's middlewares that are ours, so a procedure in nested routers is rewritten once. */
const syncOutputChecks = new WeakSet<Middleware>();

/**
 * Checks a procedure's output against its schema as tRPC's own output middleware does (same schema, same
 * "Output validation failed" error with zod's error as its cause), but with zod's synchronous `parse`: tRPC calls
 * `parseAsync`, and zod 4 runs its compiled object check only for synchronous parses, so `parseAsync` walked every
 * field through the generic path and its promises (`pools.list`, 40 pools: 75 µs against 13 µs). A schema that
 * needs to be asynchronous (an async refinement) makes `parse` throw before it checks anything; it is then parsed
 * asynchronously, as before.
 */
function syncOutputCheck(schema: ZodType): Middleware {
  const syncOutputValidator: Middleware = async ({ next }) => {
    const result = await next();
    if (!result.ok) {
      return result;
    }
    let data: unknown;
    try {
      try {
        data = schema.parse(result.data);
      } catch (error) {
        if (!(error instanceof core.$ZodAsyncError)) {
          throw error;
        }
        data = await schema.parseAsync(result.data);
      }
    } catch (cause) {
      throw new TRPCError({ message: 'Output validation failed', code: 'INTERNAL_SERVER_ERROR', cause });
    }
    return { ...result, data };
  };
  syncOutputValidator._type = 'output';
  syncOutputChecks.add(syncOutputValidator);
  return syncOutputValidator;
}

/** Replaces the output check of each procedure whose output is a zod schema by `syncOutputCheck`. */
function withSyncOutputChecks<R extends { _def: { procedures: object } }>(built: R): R {
  for (const procedure of Object.values(built._def.procedures) as { _def?: ProcedureDef }[]) {
    const def = procedure._def;
    if (!def || !(def.output instanceof ZodType)) {
      continue;
    }
    const index = def.middlewares.findIndex((m) => m._type === 'output');
    const current = def.middlewares[index];
    if (current && !syncOutputChecks.has(current)) {
      def.middlewares[index] = syncOutputCheck(def.output);
    }
  }
  return built;
}

/** tRPC's router, with each procedure's output checked synchronously (see `syncOutputCheck`). */
export const router = ((record: Parameters<typeof t.router>[0]) =>
  withSyncOutputChecks(t.router(record))) as typeof t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Converts AppError thrown by services into a TRPCError carrying it as cause, so the formatter keeps its code. */
const appErrorMiddleware = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    result.error = toTRPCError(cause);
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(appErrorMiddleware);

function unauthorized(): never {
  throw new TRPCError({
    code: 'UNAUTHORIZED',
    message: 'Sign in required',
    cause: new AppError('UNAUTHORIZED', 'Sign in required'),
  });
}

function forbidden(message: string, details?: Record<string, unknown>): never {
  throw new TRPCError({
    code: 'FORBIDDEN',
    message,
    cause: new AppError('FORBIDDEN', message, details ? { details } : {}),
  });
}

/**
 * A signed-in caller who may still be in the middle of mandatory 2FA enrolment: only the enrolment procedures and
 * `me`/`logout` use this directly.
 */
export const enrollingMiddleware = t.middleware(({ ctx, next }) => {
  if (!ctx.user) {
    unauthorized();
  }
  // Only what changes: tRPC merges it over the context itself (spreading the whole context here copied it twice).
  return next({ ctx: { user: ctx.user } });
});

/** Any signed-in user with a complete session: narrows `ctx.user` to non-null. */
export const authenticatedMiddleware = t.middleware(({ ctx, next }) => {
  const user: SessionUser | null = ctx.user;
  if (!user) {
    unauthorized();
  }
  if (user.pendingTotpEnrollment) {
    forbidden('Two-factor authentication must be set up first', { totpEnrollmentRequired: true });
  }
  return next({ ctx: { user } });
});

function roleMiddleware(allowed: readonly Role[], label: string) {
  return authenticatedMiddleware.unstable_pipe(({ ctx, next }) => {
    if (!allowed.includes(ctx.user.role)) {
      forbidden(`${label} only`);
    }
    return next();
  });
}

/** MANAGER or ADMIN: pool operations. */
export const managerMiddleware = roleMiddleware(STAFF_ROLES, 'Managers and admins');
/** ADMIN only: users, withdrawals, audit, ledger. */
export const adminMiddleware = roleMiddleware(['ADMIN'], 'Admins');

export const enrollingProcedure = publicProcedure.use(enrollingMiddleware);
export const protectedProcedure = publicProcedure.use(authenticatedMiddleware);
export const managerProcedure = publicProcedure.use(managerMiddleware);
export const adminProcedure = publicProcedure.use(adminMiddleware);

/**
 * The trading model, authenticated by a model API key (never a user's token): only procedures under /model use it,
 * and the server hands them the bearer token as `modelApiKey` instead of authenticating a user.
 */
export const modelProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const caller = await verifyModelKey(ctx, ctx.modelApiKey ?? null);
  return next({ ctx: { ...ctx, modelCaller: caller } });
});
