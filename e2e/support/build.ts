import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const ARTIFACTS: ReadonlyArray<{ path: string; what: string }> = [
  { path: 'apps/server/dist/index.js', what: 'the production server' },
  { path: 'apps/web/dist/index.html', what: 'the built SPA' },
];

/** e2e runs against the built app, never the dev servers: stop at once, saying what to do, when it is not there. */
export function assertBuilt(): void {
  const missing = ARTIFACTS.filter((artifact) => !existsSync(join(REPO_ROOT, artifact.path)));
  if (missing.length > 0) {
    const list = missing.map((artifact) => `${artifact.path} (${artifact.what})`).join(', ');
    throw new Error(
      `e2e needs the built app, but ${list} is missing: run \`pnpm build\` first, from the repo root.`,
    );
  }
}
