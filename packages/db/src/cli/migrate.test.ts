import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects } from '../testing';
import { testDatabaseUrl } from '../testing/env';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const cli = fileURLToPath(new URL('./migrate.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      cwd: packageDir,
      env: { ...process.env, DATABASE_URL: undefined, INIT_CWD: undefined, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm db:migrate (src/cli/migrate.ts)', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('defaults to ./data/tradepool.db under INIT_CWD and prints one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-cli-'));
    dirs.push(dir);
    const run = await runCli({ INIT_CWD: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toContain(join(dir, 'data/tradepool.db'));
    expect(existsSync(join(dir, 'data/tradepool.db'))).toBe(true);
  });

  it('exits non-zero with a clear message that hides the password', async () => {
    const run = await runCli({ DATABASE_URL: 'mysql://root:hunter2@localhost/tp' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Migration failed for mysql://root:***@localhost/tp');
    expect(run.stderr).toContain('"mysql:"');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('exits non-zero when Postgres is unreachable', async () => {
    const run = await runCli({ DATABASE_URL: 'postgres://tp:secret@127.0.0.1:1/tp' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Migration failed for postgres:\/\/tp:\*\*\*@127\.0\.0\.1:1\/tp: .*ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain('secret');
  });

  // PGlite lives inside one process, so only a real server can be shared with child processes.
  it.each(testDatabaseUrl() === undefined ? (['sqlite'] as const) : dialects)(
    'lets three processes migrate the same fresh %s database at once',
    async (dialect) => {
      const fresh = await createTestDatabase(dialect, { migrate: false });
      try {
        const url = fresh.url ?? '';
        const runs = await Promise.all([1, 2, 3].map(() => runCli({ DATABASE_URL: url })));
        for (const run of runs) {
          expect(run.stderr).not.toContain('Migration failed');
          expect(run.code).toBe(0);
          expect(run.stdout).toContain('is up to date');
        }
      } finally {
        await fresh.dispose();
      }
    },
  );
});
