import { AppError } from '@tradepool/domain';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

const TRPC_CODE_BY_APP_CODE: Record<AppError['code'], TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  SUBSCRIPTION_REQUIRED: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** A service's AppError as a TRPCError with the matching tRPC code, carrying the AppError as cause for the formatter. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_BY_APP_CODE[error.code], message: error.message, cause: error });
}

/**
 * For refusals inside a subscription's stream, which run after tRPC's middlewares: an AppError becomes a TRPCError
 * with its own code (else tRPC reports INTERNAL_SERVER_ERROR, which clients retry forever).
 */
export function streamRefusal(error: unknown): never {
  if (error instanceof AppError) {
    throw toTRPCError(error);
  }
  throw error;
}
