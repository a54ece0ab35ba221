import type { Logger } from 'vite';
import { describe, expect, it } from 'vitest';
import { quietProxyLogger } from './vite-logger';

function recorder() {
  const errors: string[] = [];
  const base = { error: (message: string) => errors.push(message) } as unknown as Logger;
  return { errors, logger: quietProxyLogger(base) };
}

const withCode = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe('dev server logger', () => {
  it('drops proxy errors that only mean a browser tab went away', () => {
    const { errors, logger } = recorder();
    logger.error('ws proxy socket error:\nError: write EPIPE', { error: withCode('EPIPE') });
    logger.error('http proxy error: /trpc/x\nError: socket hang up', { error: withCode('ECONNRESET') });
    expect(errors).toEqual([]);
  });

  it('keeps every other error, a proxy error with another cause included', () => {
    const { errors, logger } = recorder();
    logger.error('http proxy error: /trpc/x\nError: connect ECONNREFUSED', {
      error: withCode('ECONNREFUSED'),
    });
    logger.error('Internal server error: EPIPE somewhere', { error: withCode('EPIPE') });
    expect(errors).toHaveLength(2);
  });
});
