import { createLogger, type Logger } from 'vite';

/** Errors that only mean the browser went away (a tab closed, a reload) while a request or socket was proxied. */
const CLIENT_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']);

/**
 * Vite's logger, minus the stack traces its dev proxy prints when a browser tab closes mid-request ("ws proxy socket
 * error: Error: write EPIPE …", one per open socket and stream). Those are not errors of ours; every other error,
 * including a proxy error with another cause (the API server down: ECONNREFUSED), is logged as before.
 */
export function quietProxyLogger(base: Logger = createLogger()): Logger {
  return {
    ...base,
    error(message, options) {
      const code = (options?.error as NodeJS.ErrnoException | undefined)?.code;
      if (code && CLIENT_GONE.has(code) && /proxy (socket )?error/.test(message)) {
        return;
      }
      base.error(message, options);
    },
  };
}
