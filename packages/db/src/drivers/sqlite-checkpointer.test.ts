import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../create-database';
import type { Database } from '../database';
import type { CheckpointProgress } from './sqlite-checkpointer';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tp-checkpointer-'));
  dirs.push(dir);
  return join(dir, 'db.sqlite');
}

/** 2,000 rows of 4,000 random bytes: about 2,000 pages in the WAL, over SQLite's own 1,000-page checkpoint mark. */
async function writeBlobs(database: Database): Promise<void> {
  await database.transaction(async (tx) => {
    const run = (query: ReturnType<typeof sql>) =>
      (tx as unknown as { run(q: typeof query): Promise<unknown> }).run(query);
    await run(sql`create table if not exists blobs (id integer primary key, body blob not null)`);
    await run(
      sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into blobs (body) select randomblob(4000) from n`,
    );
  });
}

async function countBlobs(database: Database): Promise<number> {
  const rows = (await (database.db as unknown as { all(q: ReturnType<typeof sql>): Promise<unknown[]> }).all(
    sql`select count(*) as n from blobs`,
  )) as { n: number }[];
  return rows[0]?.n ?? -1;
}

describe('SQLite checkpointer thread', () => {
  it('copies a committed WAL into the database file on its own thread', async () => {
    const file = tempFile();
    const database = await createDatabase(`file:${file}`, { walCheckpoints: 'thread' });
    try {
      expect(database.walCheckpoints).toBe('thread');
      const complete = new Promise<CheckpointProgress>((resolve) => {
        database.onCheckpoint?.((progress) => {
          if (progress.walFrames > 1000 && progress.checkpointed === progress.walFrames) {
            resolve(progress);
          }
        });
      });
      await writeBlobs(database);
      const progress = await complete;
      expect(progress.checkpointed).toBe(progress.walFrames);
      expect(await countBlobs(database)).toBe(2000);
    } finally {
      await database.close();
    }
  });

  it('stops with the database: the last connection to close takes the WAL away, and the rows are there', async () => {
    const file = tempFile();
    const database = await createDatabase(`file:${file}`, { walCheckpoints: 'thread' });
    await writeBlobs(database);
    await database.close();
    // SQLite removes the WAL when its last connection closes: the checkpointer's connection is closed too.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = await createDatabase(`file:${file}`);
    try {
      expect(again.walCheckpoints).toBe('commit');
      expect(again.onCheckpoint).toBeUndefined();
      expect(await countBlobs(again)).toBe(2000);
    } finally {
      await again.close();
    }
  });

  it('keeps a process alive until the database has closed, even when nothing else is left to do', () => {
    const file = tempFile();
    const script = join(file, '..', 'close.mts');
    const createDatabase = fileURLToPath(new URL('../create-database.ts', import.meta.url));
    writeFileSync(
      script,
      `import { sql } from ${JSON.stringify(createRequire(import.meta.url).resolve('drizzle-orm'))};
import { createDatabase } from ${JSON.stringify(createDatabase)};
const database = await createDatabase(${JSON.stringify(`file:${file}`)}, { walCheckpoints: 'thread' });
await database.transaction(async (tx) => {
  await tx.run(sql\`create table t (id integer primary key)\`);
});
await database.close();
console.log('closed');
`,
    );
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(output.trim()).toBe('closed');
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
