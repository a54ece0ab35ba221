import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { appRouter } from '@tradepool/api/server';
import { AppError } from '@tradepool/domain';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { createRouter } from '../create-app';
import type { Env } from '../env';
import { errorResponse } from '../http-errors';
import { readStaticFile } from '../static-files';

export type OpenApiDocument = ReturnType<typeof createOpenApiDocument>;

export function createOpenApiDocument(deps: { version: string; env: Pick<Env, 'publicUrl'> }) {
  return generateOpenApiDocument(appRouter, {
    title: 'Tradepool API',
    description:
      'Pooled trading funds. Money amounts are integer US cents in fields ending in `Cents`; times are ISO 8601 UTC; ' +
      'errors are `{code, message}`. Authenticate with `Authorization: Bearer <accessToken>` (from `POST /auth/login`).',
    version: deps.version,
    baseUrl: `${deps.env.publicUrl ?? ''}/api/v1`,
    docsUrl: '/api/v1/docs',
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  });
}

function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tradepool API</title>
    <link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css" />
    <link rel="stylesheet" href="/api/v1/docs/docs.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/v1/docs/init.js"></script>
  </body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // A bearer token typed here stays in this page's memory only: localStorage would hand it to any script on the origin.
  persistAuthorization: false,
});`;

const DOCS_CSS = 'body { margin: 0 } .swagger-ui .topbar { display: none }';

/** `/api/v1/openapi.json` and the Swagger UI page that reads it (its scripts served from swagger-ui-dist). */
export function docsRoutes(openApiDocument: () => OpenApiDocument) {
  const routes = createRouter();
  routes.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));
  routes.get('/api/v1/docs', (c) => c.html(DOCS_HTML));
  routes.get('/api/v1/docs/init.js', (c) =>
    c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  routes.get('/api/v1/docs/docs.css', (c) =>
    c.body(DOCS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  const swaggerDir = swaggerUiDir();
  routes.get('/api/v1/docs/assets/:file', async (c) => {
    const file = await readStaticFile(swaggerDir, `/${c.req.param('file')}`);
    if (!file) {
      return errorResponse(c, new AppError('NOT_FOUND', 'No such documentation asset'));
    }
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': file.contentType,
      'cache-control': 'public, max-age=86400',
    });
  });
  return routes;
}
