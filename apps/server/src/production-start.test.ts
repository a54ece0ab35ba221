import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './test-support';

const SERVER_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const JWT_SECRET = 'a-production-jwt-secret-of-more-than-32-chars';
/** 32 random-looking bytes: long enough for production. */
const GOOD_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** "secretsecret": 12 bytes, fine for a developer, refused in production. */
const SHORT_SECRET = 'whsec_c2VjcmV0c2VjcmV0';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
  }
});

/**
 * The real entry point (`src/index.ts` under tsx, the code `pnpm start` runs bundled) with only the variables given:
 * no NODE_ENV unless the test sets one. Resolves when it exits or answers /readyz, whichever comes first.
 */
async function start(vars: Record<string, string>) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tp-prod-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'db.sqlite')}`,
      LOG_LEVEL: 'warn',
      ...vars,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const code = await Promise.race([
      exited,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 100)),
    ]);
    if (code !== 'running') {
      return { exitCode: code, output, url: null };
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) {
        return { exitCode: null, output, url: `http://127.0.0.1:${port}` };
      }
    } catch {
      // not listening yet
    }
  }
  throw new Error(`server neither exited nor became ready:\n${output}`);
}

async function environmentOf(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/info`);
  return ((await res.json()) as { environment: string }).environment;
}

describe('production start (CONTRACT §8)', () => {
  it('without NODE_ENV runs in production: no JWT_SECRET exits non-zero naming it', async () => {
    const result = await start({});
    expect(result.exitCode).not.toBe(0);
    expect(result.exitCode).not.toBeNull();
    expect(result.output).toContain('JWT_SECRET');
  }, 40_000);

  it('without NODE_ENV, a webhook secret decoding to under 24 bytes exits non-zero naming MODEL_WEBHOOK_SECRET', async () => {
    const result = await start({ JWT_SECRET, MODEL_WEBHOOK_SECRET: SHORT_SECRET });
    expect(result.exitCode).not.toBe(0);
    expect(result.exitCode).not.toBeNull();
    expect(result.output).toMatch(/MODEL_WEBHOOK_SECRET: must decode to at least 24 bytes/);
  }, 40_000);

  it('with real secrets and no NODE_ENV serves in production mode; without a webhook secret it starts without printing one', async () => {
    const withSecret = await start({ JWT_SECRET, MODEL_WEBHOOK_SECRET: GOOD_SECRET });
    expect(withSecret.url, withSecret.output).not.toBeNull();
    expect(await environmentOf(withSecret.url as string)).toBe('production');

    const withoutSecret = await start({ JWT_SECRET });
    expect(withoutSecret.url, withoutSecret.output).not.toBeNull();
    expect(await environmentOf(withoutSecret.url as string)).toBe('production');
    expect(withoutSecret.output).not.toMatch(/whsec_[A-Za-z0-9+/]{8}/);
  }, 60_000);

  it('NODE_ENV=development explicitly keeps the developer defaults (generated secrets)', async () => {
    const result = await start({ NODE_ENV: 'development' });
    expect(result.url, result.output).not.toBeNull();
    expect(await environmentOf(result.url as string)).toBe('development');
  }, 40_000);
});
