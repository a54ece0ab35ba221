// `pnpm dev`: the API server (reloading on change) and the Vite dev server together, with development defaults.
// Ctrl-C stops both; if either exits, the other is stopped too.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  DATABASE_URL: process.env.DATABASE_URL ?? 'file:./data/dev.db',
  SIMULATOR: process.env.SIMULATOR ?? 'on',
  SCHEDULER_CRON: process.env.SCHEDULER_CRON ?? '*/5 * * * * *',
  TRADEPOOL_SEED: process.env.TRADEPOOL_SEED ?? 'demo',
  FORCE_COLOR: '1',
};

const children = [
  {
    name: 'server',
    color: 36,
    cmd: join(root, 'node_modules/.bin/tsx'),
    args: ['watch', '--clear-screen=false', 'apps/server/src/index.ts'],
    cwd: root,
  },
  {
    name: 'web',
    color: 35,
    cmd: join(root, 'apps/web/node_modules/.bin/vite'),
    args: [],
    cwd: join(root, 'apps/web'),
  },
].map((spec) => {
  const child = spawn(spec.cmd, spec.args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${spec.color}m${spec.name.padEnd(6)}\x1b[0m│ `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        process.stdout.write(`${prefix}${line}\n`);
      }
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    stopAll(code ?? 1);
  });
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) {
    return;
  }
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
