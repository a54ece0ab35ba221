export interface MigrateEnv {
  readonly databaseUrl: string;
  /** Where relative `file:`/`pglite:` paths are resolved: where the user ran pnpm, not this package's directory. */
  readonly baseDir: string;
}

export const DEFAULT_DATABASE_URL = 'file:./data/tradepool.db';

export function readMigrateEnv(): MigrateEnv {
  const url = process.env.DATABASE_URL;
  const initCwd = process.env.INIT_CWD;
  return {
    databaseUrl: url === undefined || url === '' ? DEFAULT_DATABASE_URL : url,
    baseDir: initCwd === undefined || initCwd === '' ? process.cwd() : initCwd,
  };
}
