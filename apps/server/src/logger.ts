import pino, { type Logger } from 'pino';
import type { Env } from './env';

/**
 * JSON logs in production; human-readable in development when pino-pretty is installed. Secrets and credentials are
 * redacted wherever a log call might carry them.
 */
export function createLogger(env: Pick<Env, 'logLevel' | 'nodeEnv'>): Logger {
  const options: pino.LoggerOptions = {
    level: env.logLevel,
    base: { service: 'tradepool' },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'refreshToken',
        '*.refreshToken',
        'accessToken',
        '*.accessToken',
        'secret',
        '*.secret',
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
  };
  if (env.nodeEnv === 'development' && canPretty()) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true },
      },
    });
  }
  return pino(options);
}

function canPretty(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
