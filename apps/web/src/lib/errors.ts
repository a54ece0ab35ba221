import { REFUSAL_REASONS, type RefusalReason } from '@tradepool/domain/vocabulary';
import { TRPCClientError } from '@trpc/client';

/** What the server's error formatter puts in `error.data` (packages/api/src/trpc.ts). */
export interface AppErrorData {
  code: string;
  appCode: string;
  httpStatus: number;
  fields: Record<string, string> | null;
  /** Machine-readable facts about a refusal: `{ totpRequired: true }`, `{ totpEnrollmentRequired: true }`, … */
  details?: Record<string, unknown> | null;
  /** Seconds until a `TOO_MANY_REQUESTS` refusal lifts. */
  retryAfterSec?: number | null;
}

const NETWORK_MESSAGE = 'Cannot reach the Tradepool server. Check your connection and try again.';
const SERVER_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';
const UNKNOWN_MESSAGE = 'Something went wrong. Please try again.';

function isAppErrorData(value: unknown): value is AppErrorData {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const data = value as Record<string, unknown>;
  return typeof data.appCode === 'string' && typeof data.httpStatus === 'number';
}

/** The server's structured error data, or null for anything that did not come back from the API as a tRPC error. */
export function appErrorData(error: unknown): AppErrorData | null {
  if (error instanceof TRPCClientError && isAppErrorData(error.data)) {
    return error.data;
  }
  return null;
}

/** The contract's error code (`SUBSCRIPTION_REQUIRED`, `CONFLICT`, …): branch on this, never on message text. */
export function appCode(error: unknown): string | null {
  return appErrorData(error)?.appCode ?? null;
}

/** `details.reason` of a refused money or pool action (`INSUFFICIENT_FUNDS`, …), or null when it names none we know. */
export function refusalReason(error: unknown): RefusalReason | null {
  const reason = appErrorData(error)?.details?.reason;
  return (REFUSAL_REASONS as readonly unknown[]).includes(reason) ? (reason as RefusalReason) : null;
}

/** A flag from the error's `details` (`totpRequired`, `totpEnrollmentRequired`), false when absent. */
export function errorDetail(error: unknown, key: string): boolean {
  return appErrorData(error)?.details?.[key] === true;
}

/** How long a `TOO_MANY_REQUESTS` refusal lasts, in seconds; null for other errors or when the server did not say. */
export function retryAfterSec(error: unknown): number | null {
  const data = appErrorData(error);
  if (data?.appCode !== 'TOO_MANY_REQUESTS' || typeof data.retryAfterSec !== 'number') {
    return null;
  }
  return data.retryAfterSec;
}

export function httpStatus(error: unknown): number | null {
  return appErrorData(error)?.httpStatus ?? null;
}

/**
 * True when the request never got a tRPC answer: offline, server down, or a proxy answering with its own error page
 * (the client then fails to parse the body and there is no `data`).
 */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TRPCClientError && !isAppErrorData(error.data);
}

/**
 * A sentence fit to show a person. Refusals (4xx) carry a message the server wrote for people; server faults and
 * transport failures get a generic line, so internals never reach the screen.
 */
export function errorMessage(error: unknown): string {
  const data = appErrorData(error);
  if (data) {
    if (data.httpStatus >= 500) {
      return data.httpStatus === 503
        ? 'The service is temporarily unavailable. Please try again shortly.'
        : SERVER_MESSAGE;
    }
    if (error instanceof Error && error.message) {
      return error.message;
    }
    return UNKNOWN_MESSAGE;
  }
  if (isNetworkError(error)) {
    return NETWORK_MESSAGE;
  }
  return UNKNOWN_MESSAGE;
}

/**
 * Invalid input fields by dotted path (`"amountCents"`, `"dates.start"`), for forms to show beside their inputs;
 * `{}` when the error is not a validation refusal. Matches Mantine's `form.setErrors` shape.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const fields = appErrorData(error)?.fields ?? {};
  // The server words field errors to follow the field's name ("must be a valid email address"); under an input
  // they stand alone, so they start with a capital.
  return Object.fromEntries(
    Object.entries(fields).map(([field, message]) => [
      field,
      message.charAt(0).toUpperCase() + message.slice(1),
    ]),
  );
}
