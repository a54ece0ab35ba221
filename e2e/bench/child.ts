import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A bench process (server, load generator or clients) driven over IPC: `call` sends a command and awaits its reply. */
export interface Child {
  readonly pid: number;
  /** Resolves when the child has started (its first message). */
  readonly ready: Promise<void>;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/**
 * Starts `script` (a file in e2e/bench) as its own Node process running TypeScript through tsx. With
 * BENCH_CPU_PROF=all, server processes also run under `node --cpu-prof` (bench/profiles/<bench>/, written at exit).
 */
export function spawnChild(
  script: string,
  options: { profileAs?: string; env?: Record<string, string> } = {},
): Child {
  const execArgv = ['--import', 'tsx'];
  // BENCH_CPU_PROF=all: whole-process profiles too (start-up and seeding included), one folder per bench; tsx's
  // loader thread writes a profile of its own, the server's is the largest file.
  if (process.env.BENCH_CPU_PROF === 'all' && options.profileAs) {
    const dir = join(here, '../../bench/profiles', options.profileAs);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const proc: ChildProcess = fork(join(here, script), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Servers run as in production (libraries such as trpc-to-openapi do extra checks on every request otherwise).
    env: {
      ...process.env,
      ...(script === 'server-process.ts' ? { NODE_ENV: 'production' } : {}),
      ...options.env,
    },
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) {
        p.reject(new Error(`${script} exited (${code ?? signal}) before answering`));
      }
      pending.clear();
      resolve();
    });
  });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    void exit.then(() => reject(new Error(`${script} exited before it was ready`)));
  });
  proc.on('message', (message: Reply) => {
    if (message.id === -1) {
      markReady();
      return;
    }
    const p = pending.get(message.id);
    if (!p) {
      return;
    }
    pending.delete(message.id);
    if (message.ok) {
      p.resolve(message.value);
    } else {
      p.reject(new Error(`${script}: ${message.error}`));
    }
  });
  return {
    pid: proc.pid ?? -1,
    ready,
    call<T>(cmd: string, args?: unknown) {
      if (exited) {
        return Promise.reject(new Error(`${script} is not running`));
      }
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, args });
      });
    },
    async stop() {
      if (exited) {
        return;
      }
      // A polite exit lets --cpu-prof write its profile; a hung child is killed after a grace period.
      proc.send({ id: 0, cmd: 'exit' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The child side: answers each command with its handler's result, after announcing it is ready. `exit` ends it. */
export function serveCommands(handlers: Record<string, (args: never) => unknown>): void {
  process.send?.({ id: -1, ok: true, value: 'ready' });
  process.on('message', async (message: { id: number; cmd: string; args?: unknown }) => {
    if (message.cmd === 'exit') {
      await handlers.exit?.(undefined as never);
      process.disconnect?.();
      process.exit(0);
    }
    const handler = handlers[message.cmd];
    try {
      if (!handler) {
        throw new Error(`unknown command ${message.cmd}`);
      }
      const value = await handler(message.args as never);
      process.send?.({ id: message.id, ok: true, value });
    } catch (error) {
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}

/**
 * One measured autocannon run from the `load` process: warm-up first (discarded), then — with BENCH_CPU_PROF — the
 * server profiles exactly the measured window into bench/profiles/<profileAs>.cpuprofile.
 */
export async function measureLoad<Options, Result>(
  load: Child,
  options: Options,
  profile?: { server: Child; as: string },
): Promise<Result> {
  await load.call('warmup', options);
  await profile?.server.call('profileStart');
  const result = await load.call<Result>('load', options);
  await profile?.server.call('profileStop', { name: profile.as });
  return result;
}
