import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../create-database';
import type { Database, Db } from '../database';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) {
    await database.close();
  }
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const run = (tx: Db, query: SQL) => (tx as unknown as { run(q: SQL): Promise<unknown> }).run(query);

/** The server thread's database and a worker's on the same file, sharing turns at the write lock. */
async function serverAndWorker(): Promise<{ server: Database; worker: Database }> {
  const dir = mkdtempSync(join(tmpdir(), 'tp-turns-'));
  dirs.push(dir);
  const url = `file:${join(dir, 'db.sqlite')}`;
  const server = await createDatabase(url);
  opened.push(server);
  const worker = await createDatabase(url, { writeTurns: server.writeTurns });
  opened.push(worker);
  await server.transaction((tx) => run(tx, sql`create table t (who text not null)`));
  return { server, worker };
}

/** A transaction on `database` that holds the write lock until `release` is called. */
function holding(database: Database, who: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let begun = () => {};
  const holds = new Promise<void>((resolve) => {
    begun = resolve;
  });
  const done = database.transaction(async (tx) => {
    await run(tx, sql`insert into t (who) values (${who})`);
    begun();
    await released;
  });
  return { holds, release, done };
}

describe('turns at the SQLite write lock between the server thread and a worker', () => {
  // Both run in this one thread here: a connection that slept in SQLite's busy handler would hold up the very
  // transaction it waits for, and fail after busy_timeout.
  it('a server write waits for the worker’s transaction without sleeping in SQLite, then commits', async () => {
    const { server, worker } = await serverAndWorker();
    const first = holding(worker, 'worker');
    await first.holds;
    const serverWrite = server.transaction((tx) => run(tx, sql`insert into t (who) values ('server')`));
    // Once the server's queue has found the lock taken (its drain runs on the next turn), this thread must still be
    // free to let the worker's transaction finish.
    await new Promise((resolve) => setImmediate(resolve));
    first.release();
    await first.done;
    await serverWrite;
    const rows = await (server.db as unknown as { all(q: SQL): Promise<{ who: string }[]> }).all(
      sql`select who from t order by rowid`,
    );
    expect(rows.map((row) => row.who)).toEqual(['worker', 'server']);
  });

  it('the worker does not begin again while the server thread waits: the server goes first', async () => {
    const { server, worker } = await serverAndWorker();
    const first = holding(worker, 'worker 1');
    await first.holds;
    const order: string[] = [];
    const serverWrite = server.transaction(async (tx) => {
      await run(tx, sql`insert into t (who) values ('server')`);
      order.push('server');
    });
    // Wait until the server's queue has found the lock taken and said so, then end the worker's transaction and
    // queue the worker's next one at once.
    await new Promise((resolve) => setImmediate(resolve));
    first.release();
    await first.done;
    const again = worker.transaction(async (tx) => {
      await run(tx, sql`insert into t (who) values ('worker 2')`);
      order.push('worker 2');
    });
    await Promise.all([serverWrite, again]);
    expect(order).toEqual(['server', 'worker 2']);
  });

  it('two databases opened on their own (two processes) still wait for each other’s lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-turns-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'db.sqlite')}`;
    const a = await createDatabase(url);
    opened.push(a);
    const b = await createDatabase(url);
    opened.push(b);
    await a.transaction((tx) => run(tx, sql`create table t (who text not null)`));
    const first = holding(a, 'a');
    await first.holds;
    const second = b.transaction((tx) => run(tx, sql`insert into t (who) values ('b')`));
    first.release();
    await Promise.all([first.done, second]);
    const rows = await (a.db as unknown as { all(q: SQL): Promise<{ who: string }[]> }).all(
      sql`select who from t order by rowid`,
    );
    expect(rows.map((row) => row.who)).toEqual(['a', 'b']);
  });
});
