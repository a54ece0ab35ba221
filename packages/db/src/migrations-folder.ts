import { fileURLToPath } from 'node:url';
import type { Dialect } from './database';

/**
 * The committed migrations of a dialect, located from this file so they are found whatever the process's cwd.
 * A bundled server should copy `packages/db/migrations` and pass `migrationsFolder` explicitly.
 */
export function defaultMigrationsFolder(dialect: Dialect): string {
  const folder = dialect === 'sqlite' ? 'sqlite' : 'pg';
  return fileURLToPath(new URL(`../migrations/${folder}`, import.meta.url));
}
