import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined };

const SECRET_PARAMS = ['password', 'sslpassword', 'sslkey'];

/** The URL with its password (and password-like query parameters) replaced by `***`, safe to log. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/([^/@:]*):[^@]*@/, '//$1:***@');
  }
  let changed = false;
  if (parsed.password !== '') {
    parsed.password = '***';
    changed = true;
  }
  for (const name of SECRET_PARAMS) {
    if (parsed.searchParams.has(name)) {
      parsed.searchParams.set(name, '***');
      changed = true;
    }
  }
  // Only re-serialise when needed: URL normalisation would otherwise rewrite harmless URLs (e.g. `file:./x`).
  return changed ? parsed.toString().replaceAll('%2A%2A%2A', '***') : url;
}

function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * `file:PATH` → SQLite (relative paths against `cwd`), `postgres://` / `postgresql://` → Postgres, `pglite:` →
 * in-memory PGlite, `pglite:PATH` → PGlite stored in that directory.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { kind: 'postgres', url };
  }
  if (url.startsWith('file:')) {
    const rest = url.slice('file:'.length);
    if (rest === '' || rest.startsWith(':memory:') || rest.includes('mode=memory')) {
      throw new Error(
        `In-memory SQLite (${redactUrl(url)}) is not supported: the read and write connections must share a file. ` +
          'Use file:PATH with a path in a temporary directory instead.',
      );
    }
    const path = rest.startsWith('//') ? fileURLToPath(url) : rest;
    return { kind: 'sqlite', path: resolvePath(path, cwd) };
  }
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length);
    return { kind: 'pglite', dataDir: rest === '' ? undefined : resolvePath(rest, cwd) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `${scheme === undefined ? 'Database URL has no scheme' : `Unsupported database URL scheme "${scheme}:"`} ` +
      `(${redactUrl(url)}): use file:PATH for SQLite, postgres:// or postgresql:// for Postgres, ` +
      'or pglite:[PATH] for PGlite.',
  );
}
