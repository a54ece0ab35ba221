import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrl } from './url';

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.internal:5432/tradepool', 'postgres://app:***@db.internal:5432/tradepool'],
    ['postgresql://app:p%40ss@db/tp?sslmode=require', 'postgresql://app:***@db/tp?sslmode=require'],
    [
      'postgres://app@db/tp?password=s3cret&sslmode=require',
      'postgres://app@db/tp?password=***&sslmode=require',
    ],
    ['mysql://root:hunter2@host/db', 'mysql://root:***@host/db'],
  ])('hides the password in %s', (url, expected) => {
    const redacted = redactUrl(url);
    expect(redacted).toBe(expected);
    expect(redacted).not.toMatch(/s3cret|p%40ss|hunter2/);
  });

  it.each([
    'file:./data/tradepool.db',
    'postgres://postgres@127.0.0.1:5432/postgres',
    'pglite:',
    'not a url',
  ])('leaves %s unchanged', (url) => {
    expect(redactUrl(url)).toBe(url);
  });

  it('hides the password even when the URL does not parse', () => {
    expect(redactUrl('postgres://app:bad pass@host:notaport/db')).toBe('postgres://app:***@host:notaport/db');
  });
});

describe('parseDatabaseUrl', () => {
  it('resolves relative SQLite paths against the given directory', () => {
    expect(parseDatabaseUrl('file:./data/x.db', '/srv/app')).toEqual({
      kind: 'sqlite',
      path: '/srv/app/data/x.db',
    });
    expect(parseDatabaseUrl('file:data/x.db', '/srv/app')).toEqual({
      kind: 'sqlite',
      path: '/srv/app/data/x.db',
    });
    expect(parseDatabaseUrl('file:/var/lib/x.db', '/srv/app')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/x.db',
    });
    expect(parseDatabaseUrl('file:///var/lib/x.db', '/srv/app')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/x.db',
    });
  });

  it('rejects in-memory SQLite, which cannot be shared by the read and write connections', () => {
    expect(() => parseDatabaseUrl('file::memory:')).toThrow(/In-memory SQLite/);
  });

  it('recognises Postgres and PGlite URLs', () => {
    expect(parseDatabaseUrl('postgres://h/db')).toEqual({ kind: 'postgres', url: 'postgres://h/db' });
    expect(parseDatabaseUrl('postgresql://h/db')).toEqual({ kind: 'postgres', url: 'postgresql://h/db' });
    expect(parseDatabaseUrl('pglite:')).toEqual({ kind: 'pglite', dataDir: undefined });
    expect(parseDatabaseUrl('pglite:./pg', '/srv/app')).toEqual({ kind: 'pglite', dataDir: '/srv/app/pg' });
  });

  it('names the unsupported scheme without leaking the password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@host/db')).toThrow(
      /Unsupported database URL scheme "mysql:"/,
    );
    expect(() => parseDatabaseUrl('mysql://root:hunter2@host/db')).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl('./data/x.db')).toThrow(/no scheme/);
  });
});
