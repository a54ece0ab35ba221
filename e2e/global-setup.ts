import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { assertBuilt } from './support/build';

/** Removes the run's scratch database afterwards, but only a directory playwright.config.ts made under the temp dir. */
function removeScratchDatabase(): void {
  const dir = process.env.TRADEPOOL_E2E_DATA_DIR;
  if (dir && dirname(dir) === tmpdir() && basename(dir).startsWith('tradepool-e2e-')) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs once the web server answers /readyz. A server built before the SPA starts fine but serves no pages, and every
 * spec would then fail on an empty screen; catch that here with one clear message instead.
 */
export default async function globalSetup(config: FullConfig): Promise<() => void> {
  assertBuilt();
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) {
    throw new Error('playwright.config.ts must set use.baseURL');
  }
  const response = await fetch(new URL('/', baseURL));
  const html = await response.text();
  if (!response.ok || !html.includes('<div id="root">')) {
    throw new Error(
      `The server at ${baseURL} does not serve the SPA (GET / answered ${response.status}). ` +
        'Build the web app before the server: `pnpm build` from the repo root does both, in order.',
    );
  }
  return removeScratchDatabase;
}
