import { defineConfig, devices } from '@playwright/test';
import { assertBuilt, REPO_ROOT } from './support/build';
import { BOOTSTRAP_ADMIN, E2E_DATABASE_URL, MODEL_WEBHOOK_SECRET } from './support/env';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Playwright starts `webServer` before `globalSetup`, so a missing build would surface as an opaque "process exited";
// checking while the config loads fails first, with a message that says what to do.
assertBuilt();

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  globalSetup: './global-setup.ts',
  use: {
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium rather than a downloaded build: nothing to fetch, same binary as the rest of the machine.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    // The production bundle, as `pnpm start` runs it: one process serving the SPA, /trpc, /api/v1 and socket.io.
    // The bundle defaults to production (CONTRACT §8: Secure cookies, real secrets required); the journeys run over
    // plain http on 127.0.0.1, so they ask for development explicitly, whatever NODE_ENV the runner has.
    command: 'env NODE_ENV=development node apps/server/dist/index.js',
    cwd: REPO_ROOT,
    url: `${BASE_URL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      // A fresh database per run (support/env.ts); seed helpers open the same file.
      DATABASE_URL: E2E_DATABASE_URL,
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      // Every spec talks from 127.0.0.1: the per-IP limits meant for the internet would throttle the suite itself.
      RATE_LIMIT_PER_MIN: '100000',
      REGISTRATIONS_PER_HOUR: '100000',
      // The production rule, so journeys cover the forced enrolment: ADMIN and MANAGER must set up 2FA.
      REQUIRE_ADMIN_2FA: 'true',
      ADMIN_EMAIL: BOOTSTRAP_ADMIN.email,
      ADMIN_PASSWORD: BOOTSTRAP_ADMIN.password,
      // Specs post signed model webhooks (pnl_update, trades) with this secret.
      MODEL_WEBHOOK_SECRET,
      // Pool transitions every 2 s instead of every minute: journeys wait for start, end and settle dates in seconds.
      SCHEDULER_CRON: '*/2 * * * * *',
    },
  },
});
