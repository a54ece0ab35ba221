import { createDatabase } from '../create-database';
import type { Database } from '../database';
import { parseDatabaseUrl, redactUrl } from '../url';
import { readMigrateEnv } from './env';

/** `pnpm db:migrate`: applies the committed migrations to DATABASE_URL and reports in one line. */
async function main(): Promise<number> {
  const { databaseUrl, baseDir } = readMigrateEnv();
  const shown = redactUrl(databaseUrl);
  let database: Database | undefined;
  try {
    const target = parseDatabaseUrl(databaseUrl, baseDir);
    database = await createDatabase(databaseUrl, { cwd: baseDir });
    await database.migrate();
    const where = target.kind === 'sqlite' ? ` (${target.path})` : '';
    console.log(`Migrations applied: ${database.dialect} database ${shown}${where} is up to date.`);
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`Migration failed for ${shown}: ${reason}${cause}`);
    return 1;
  } finally {
    await database?.close();
  }
}

process.exitCode = await main();
