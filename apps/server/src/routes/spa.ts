import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createRouter } from '../create-app';
import { readStaticFile, staticEncodingHeaders } from '../static-files';

const NON_SPA_PREFIXES = ['/api/', '/trpc/', '/trpc', '/socket.io/', '/healthz', '/readyz', '/metrics'];

/** The built SPA: its static files, and the shell for every client-side route. Mounted last. */
export function spaRoutes(webDist: string, log: Logger) {
  const routes = createRouter();
  const root = resolve(webDist);
  routes.get('*', async (c, next) => {
    const path = c.req.path;
    if (NON_SPA_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix))) {
      return next();
    }
    const file = await readStaticFile(root, path, c.req.header('accept-encoding'));
    if (file && path !== '/index.html') {
      // Vite fingerprints everything under /assets, so those may be cached forever; anything else is revalidated.
      const cache = path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=0, must-revalidate';
      return c.body(new Uint8Array(file.body), 200, {
        'content-type': file.contentType,
        'cache-control': cache,
        ...staticEncodingHeaders(file),
      });
    }
    if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
      return next();
    }
    // Client-side routes: every other GET gets the SPA shell, never cached so a deploy takes effect at once.
    const index = await readStaticFile(root, '/index.html', c.req.header('accept-encoding'));
    if (!index) {
      log.error({ root }, 'built SPA has no index.html');
      return next();
    }
    return c.body(new Uint8Array(index.body), 200, {
      'content-type': index.contentType,
      'cache-control': 'no-cache',
      ...staticEncodingHeaders(index),
    });
  });
  return routes;
}
