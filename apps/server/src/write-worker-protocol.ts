import type { TickResult } from '@tradepool/api/scheduler';
import type { RefusalContext, StoreOutcome, VerifiedDelivery } from '@tradepool/api/webhook-store';
import { AppError, type AppErrorOptions, type ErrorCode } from '@tradepool/domain';

/** What the server thread sends the write worker. */
export type ToWorker =
  | {
      kind: 'store';
      id: number;
      /** The server's clock at verification: the worker stamps the delivery with it (tests move that clock). */
      now: Date;
      /** Sent as it is: structured clone keeps its `Date`. */
      delivery: VerifiedDelivery;
    }
  | {
      kind: 'tick';
      id: number;
      /** The server's clock when the pass starts: the worker's clock runs on from it (tests move that clock). */
      now: Date;
      /** Whether the server logs each move at info level (the worker sends those lines back). */
      logMoves: boolean;
    }
  | { kind: 'close' };

/** An AppError as it crosses the thread boundary (structured clone keeps neither its class nor its getters). */
export interface SentAppError {
  code: ErrorCode;
  message: string;
  options: AppErrorOptions;
}

export type SentOutcome =
  | { kind: 'stored'; duplicate: boolean; eventId: string | null }
  | { kind: 'refused'; error: SentAppError; context: RefusalContext };

/** One delivery's answer from the worker. */
export type WorkerAnswer =
  | { kind: 'result'; id: number; outcome: SentOutcome }
  /** A scheduler pass finished: every batch of it committed. */
  | { kind: 'ticked'; id: number; result: TickResult }
  /** The store step threw something that is not a refusal (a database failure): the delivery is answered 500. */
  | { kind: 'failure'; id: number; message: string; stack: string | undefined };

/**
 * What the write worker sends back. Answers go in batches: the deliveries of one commit group settle together, and
 * one message (and one dispatcher wake-up) for all of them costs the server thread far less than one each.
 */
export type FromWorker =
  | { kind: 'answers'; answers: WorkerAnswer[] }
  /** A scheduler batch committed: the server thread wakes its dispatcher, which announces the batch's moves. */
  | { kind: 'committed' }
  | { kind: 'log'; level: 'warn' | 'info'; obj: object; msg: string }
  | { kind: 'closed' };

export function sendOutcome(outcome: StoreOutcome): SentOutcome {
  if (outcome.kind === 'stored') {
    return outcome;
  }
  const { error } = outcome;
  const options: AppErrorOptions = {};
  if (error.fields !== undefined) {
    options.fields = error.fields;
  }
  if (error.details !== undefined) {
    options.details = error.details;
  }
  if (error.retryAfterSec !== undefined) {
    options.retryAfterSec = error.retryAfterSec;
  }
  return {
    kind: 'refused',
    error: { code: error.code, message: error.message, options },
    context: outcome.context,
  };
}

export function receiveOutcome(outcome: SentOutcome): StoreOutcome {
  if (outcome.kind === 'stored') {
    return outcome;
  }
  const { code, message, options } = outcome.error;
  return { kind: 'refused', error: new AppError(code, message, options), context: outcome.context };
}
