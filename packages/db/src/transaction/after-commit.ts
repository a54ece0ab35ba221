import type { DatabaseLogger } from '../options';

/**
 * Runs an afterCommit callback. The transaction has already committed, so a failing callback must not turn the
 * caller's successful write into an error: it is logged and swallowed, including an async rejection.
 */
export function runAfterCommit(callback: (() => void) | undefined, logger: DatabaseLogger): void {
  if (callback === undefined) {
    return;
  }
  const report = (error: unknown) => {
    logger.warn({ err: error }, 'afterCommit callback failed after the transaction committed');
  };
  try {
    const result: unknown = callback();
    if (result instanceof Promise) {
      result.catch(report);
    }
  } catch (error) {
    report(error);
  }
}
