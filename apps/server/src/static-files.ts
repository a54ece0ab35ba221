import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { acceptedEncodings, type Encoding } from './compression';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Set when `body` is a precompressed copy (`file.br` / `file.gz` written at build time). */
  encoding: Encoding | null;
  /** True when the file has precompressed copies, so the answer varies with Accept-Encoding. */
  varies: boolean;
}

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * Reads files from one directory only: the path is normalised and must stay inside `root`, so `..` and encoded
 * traversal cannot reach anything else. Returns null for anything that is not a regular file there.
 * With `acceptEncoding`, answers the build's precompressed copy (brotli, else gzip) when the client takes it; the
 * copies are made once at build time (apps/web/vite.config.ts), so serving them costs no CPU per request.
 */
export async function readStaticFile(
  root: string,
  urlPath: string,
  acceptEncoding?: string | null,
): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) {
    return null;
  }
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) {
    return null;
  }
  if (!isFile(full)) {
    return null;
  }
  const contentType = MIME[extname(full).toLowerCase()] ?? 'application/octet-stream';
  const varies = isFile(full + SUFFIX.br) || isFile(full + SUFFIX.gzip);
  for (const encoding of varies ? acceptedEncodings(acceptEncoding) : []) {
    if (isFile(full + SUFFIX[encoding])) {
      return { body: await readFile(full + SUFFIX[encoding]), contentType, encoding, varies };
    }
  }
  return { body: await readFile(full), contentType, encoding: null, varies };
}

/** Content-Encoding of a precompressed copy, and Vary when the answer depends on Accept-Encoding. */
export function staticEncodingHeaders(file: StaticFile): Record<string, string> {
  return {
    ...(file.encoding ? { 'content-encoding': file.encoding } : {}),
    ...(file.varies ? { vary: 'Accept-Encoding' } : {}),
  };
}
