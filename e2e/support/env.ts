import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A fresh database per run. playwright.config.ts is evaluated by the runner and again by each worker: the runner
// creates the directory and the workers, forked with its environment, reuse it instead of making their own.
process.env.TRADEPOOL_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'tradepool-e2e-'));

export const E2E_DATA_DIR = process.env.TRADEPOOL_E2E_DATA_DIR;

/** The server's database; seed helpers open it too (SQLite in WAL mode takes a second process). */
export const E2E_DATABASE_URL = `file:${join(E2E_DATA_DIR, 'e2e.db')}`;

/** The ADMIN the server creates on start (ADMIN_EMAIL / ADMIN_PASSWORD). Only the admin 2FA journey signs in as it. */
export const BOOTSTRAP_ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' } as const;

/** The trading model's webhook secret the server runs with (Standard Webhooks: `whsec_` + base64 key), to sign posts. */
export const MODEL_WEBHOOK_SECRET = `whsec_${Buffer.from('tradepool-e2e-model-webhook-key-32b').toString('base64')}`;
