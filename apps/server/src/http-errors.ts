import { AppError, type ErrorBody, HTTP_STATUS_BY_CODE, isErrorCode } from '@tradepool/domain';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Sends the contract's error body with the status that belongs to its code. */
export function errorResponse(c: Context, error: AppError): Response {
  if (error.retryAfterSec !== undefined) {
    c.header('Retry-After', String(error.retryAfterSec));
  }
  return c.json(error.toBody(), HTTP_STATUS_BY_CODE[error.code] as ContentfulStatusCode);
}

interface TrpcOpenApiErrorBody {
  message?: string;
  code?: string;
  data?: {
    appCode?: string;
    fields?: Record<string, string> | null;
    message?: string;
    details?: Record<string, unknown> | null;
  };
}

/**
 * trpc-to-openapi answers errors with tRPC's shape (`code` is the tRPC code, SUBSCRIPTION_REQUIRED becomes FORBIDDEN,
 * zod failures become "Input validation failed" plus raw issues). Rewrites that into the contract's `{code, message,
 * fields?}` using what our errorFormatter put in `data`, so REST clients see the same codes as tRPC clients.
 */
export async function toContractError(response: Response): Promise<Response> {
  if (response.status < 400 || !response.headers.get('content-type')?.includes('application/json')) {
    return response;
  }
  const raw = (await response.json()) as TrpcOpenApiErrorBody;
  const candidate = raw.data?.appCode ?? raw.code;
  const code = isErrorCode(candidate)
    ? candidate
    : response.status >= 500
      ? 'INTERNAL_SERVER_ERROR'
      : 'BAD_REQUEST';
  const body: ErrorBody = {
    ...raw.data?.details,
    code,
    message: raw.data?.message ?? raw.message ?? 'Request failed',
  };
  if (raw.data?.fields) {
    body.fields = raw.data.fields;
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: HTTP_STATUS_BY_CODE[code], headers });
}

export { AppError };
