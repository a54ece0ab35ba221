import { REFUSAL_REASONS, type RefusalReason } from './vocabulary';

/**
 * Error codes of the external contract (CONTRACT.md §3). Every failure a client can see carries one of these,
 * so clients branch on `code`, never on message text.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'SUBSCRIPTION_REQUIRED',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  SUBSCRIPTION_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** The body of every error answer, REST or otherwise: `{code, message}` plus optional detail fields. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Invalid input fields, by dotted path, for BAD_REQUEST. */
  fields?: Record<string, string>;
  [detail: string]: unknown;
}

export interface AppErrorOptions {
  /** Invalid input fields, by dotted path. */
  fields?: Record<string, string>;
  /**
   * Extra machine-readable facts for the client (e.g. `totpRequired: true`), merged into the body. A refused money or
   * pool action names its `reason` from the vocabulary (`REFUSAL.…`).
   */
  details?: Record<string, unknown> & { reason?: RefusalReason };
  /** For TOO_MANY_REQUESTS: sent as the `Retry-After` header. */
  retryAfterSec?: number;
}

/** The refusal reasons as constants (`REFUSAL.INSUFFICIENT_FUNDS`): services name a reason the vocabulary declares. */
export const REFUSAL = Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, reason])) as {
  readonly [R in RefusalReason]: R;
};

/**
 * The one error type that domain and service code throws for an expected refusal. Adapters (tRPC, REST, socket.io)
 * map it to their transport; anything that is not an AppError is an internal error and is never shown to clients.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSec: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.fields = options.fields;
    this.details = options.details;
    this.retryAfterSec = options.retryAfterSec;
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  toBody(): ErrorBody {
    return {
      ...this.details,
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
