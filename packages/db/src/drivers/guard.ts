import { DatabaseClosedError } from '../errors';
/**
 * Wraps a driver client so that the named methods run `check` first; everything else passes through to the real
 * client (bound to it, since native and private-field methods reject a Proxy as `this`).
 */
export function guardClient<T extends object>(client: T, methods: readonly string[], check: () => void): T {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') {
        return value;
      }
      let wrapped = bound.get(property);
      if (wrapped === undefined) {
        const fn = value as (...args: unknown[]) => unknown;
        wrapped = methods.includes(String(property))
          ? (...args: unknown[]) => {
              check();
              return fn.apply(target, args);
            }
          : fn.bind(target);
        bound.set(property, wrapped);
      }
      return wrapped;
    },
  });
}

/** Replaces drizzle's own `transaction()` on a handle, which would bypass (or deadlock) the runner. */
export function forbidDrizzleTransaction(handle: object, error: () => Error): void {
  Object.defineProperty(handle, 'transaction', {
    value: () => {
      throw error();
    },
    enumerable: false,
  });
}

/** Members of a drizzle database that start a query. */
const QUERY_ENTRY_POINTS = new Set([
  'select',
  'selectDistinct',
  'selectDistinctOn',
  'insert',
  'update',
  'delete',
  'execute',
  'query',
  'with',
  '$count',
  'run',
  'all',
  'get',
  'values',
  'batch',
  'refreshMaterializedView',
]);

/**
 * Runs `check` whenever a query is started from a drizzle handle, so misuse fails at the call site with a clear
 * error. (The client-level guard still catches a query built earlier and only executed now, but drizzle wraps
 * errors raised there in its "Failed query" error.)
 */
export function guardHandle<T extends object>(handle: T, check: () => void): T {
  return new Proxy(handle, {
    get(target, property, receiver) {
      if (typeof property === 'string' && QUERY_ENTRY_POINTS.has(property)) {
        check();
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The open/closed state of a Database: `assertOpen()` fails with DatabaseClosedError as soon as `close()` is called,
 * and `close()` runs `shutdown` once however often it is called (every call gets the same promise).
 */
export function closeOnce(shutdown: () => Promise<void> | void) {
  let closed = false;
  let closing: Promise<void> | undefined;
  return {
    assertOpen(): void {
      if (closed) {
        throw new DatabaseClosedError();
      }
    },
    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        await shutdown();
      })();
      return closing;
    },
  };
}
