import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './sqlite';

describe('SQLite statement cache', () => {
  const client = new BetterSqlite3(':memory:');
  afterEach(() => {
    client.exec('DROP TABLE IF EXISTS t');
  });

  it('hands out one statement per SQL text, back in object mode after a raw() user', () => {
    const cached = cachingStatements(client);
    client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    cached.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    cached.prepare('INSERT INTO t (name) VALUES (?)').run('b');
    const first = cached.prepare('SELECT id, name FROM t ORDER BY id');
    expect(first.raw().all()).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    const again = cached.prepare('SELECT id, name FROM t ORDER BY id');
    expect(again).toBe(first);
    expect(again.all()).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(cached.prepare('SELECT id, name FROM t ORDER BY id').pluck().get()).toBe(1);
    expect(cached.prepare('SELECT id, name FROM t ORDER BY id').get()).toEqual({ id: 1, name: 'a' });
  });

  it('prepares a fresh statement while the cached one is still iterating', () => {
    const cached = cachingStatements(client);
    client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    client.exec('INSERT INTO t VALUES (1), (2)');
    const source = 'SELECT id FROM t ORDER BY id';
    const iterating = cached.prepare(source);
    const seen: unknown[] = [];
    for (const row of iterating.iterate() as Iterable<{ id: number }>) {
      const other = cached.prepare(source);
      expect(other).not.toBe(iterating);
      seen.push(row.id, other.all().length);
    }
    expect(seen).toEqual([1, 2, 2, 2]);
  });

  it('keeps the most recently used statements up to its size', () => {
    const cached = cachingStatements(client, 2);
    const one = cached.prepare('SELECT 1');
    cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 1')).toBe(one);
    cached.prepare('SELECT 3');
    expect(cached.prepare('SELECT 1')).toBe(one);
    const two = cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 2')).toBe(two);
  });
});
