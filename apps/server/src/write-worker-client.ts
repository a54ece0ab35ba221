import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TickResult } from '@tradepool/api/scheduler';
import type { DeliveryStore, StoreOutcome, VerifiedDelivery } from '@tradepool/api/server';
import type { WalCheckpoints } from '@tradepool/db';
import type { Clock } from '@tradepool/domain';
import { type FromWorker, receiveOutcome, type ToWorker } from './write-worker-protocol';

/** A delivery's outcome or a scheduler pass's result, by the id it was sent with. */
interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

export interface SqliteWriteWorkerOptions {
  /** The SQLite database URL (`file:…`) the server's own connections use. */
  url: string;
  maxGroupSize?: number | undefined;
  /**
   * Who checkpoints the file's WAL, as the server's own database was told (`database.walCheckpoints`). When the
   * server runs a checkpointer thread, the worker's COMMITs leave checkpoints to it (`elsewhere`) instead of copying
   * pages into the database file themselves each time the WAL passes 1,000 pages (default: `commit`).
   */
  walCheckpoints?: WalCheckpoints | undefined;
  /**
   * The server's database's turns at the file's write lock (`database.writeTurns`): the worker's connection then
   * lets a waiting server thread go first, and neither sleeps in SQLite's busy handler.
   */
  writeTurns?: SharedArrayBuffer | undefined;
  clock: Clock;
  /** Woken after each accepted delivery, as the in-thread store's commit wakes it. */
  bus: { notify(): void };
  log: {
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
    isLevelEnabled(level: 'info'): boolean;
  };
}

/**
 * Starts the worker thread: `write-worker.js` beside this module in the built server (dist/). From source (tsx in
 * development and the bench, vitest in tests) the entry is `write-worker.ts`, which a worker can only load after
 * registering tsx's module hooks in that thread (Node 20 does not apply `--import` from a worker's execArgv), so a
 * small bootstrap registers them first, through tsx's documented `tsx/esm/api` entry.
 */
function spawnWorker(workerData: object): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./write-worker.js', import.meta.url), { workerData });
  }
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(manifest), exports['./esm/api']?.import.default ?? '')).href;
  const entry = new URL('./write-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The worker's own connection never runs the checkpointer thread: the server's database does, or nobody does. */
export function workerCheckpoints(server: WalCheckpoints | undefined): WalCheckpoints {
  return server === 'thread' || server === 'elsewhere' ? 'elsewhere' : 'commit';
}

/**
 * Stores verified model deliveries, and runs the scheduler's passes, on a worker thread with its own SQLite write
 * connection (see write-worker.ts). Started by `start()` (the server does at start-up) or on first use; if it dies,
 * the deliveries it held are answered 500 (the model retries them under the same webhook-id, so none is applied
 * twice), a pass it ran fails (what its committed batches moved stays moved and announced; the next pass goes on),
 * and the next delivery or pass starts a new one.
 */
export class SqliteWriteWorker implements DeliveryStore {
  #worker: Worker | null = null;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();
  #closing: Promise<void> | null = null;
  #drainWaiters: Array<() => void> = [];

  constructor(private readonly options: SqliteWriteWorkerOptions) {}

  store(delivery: VerifiedDelivery): Promise<StoreOutcome> {
    return this.#send<StoreOutcome>((id) => ({ kind: 'store', id, now: this.options.clock.now(), delivery }));
  }

  #send<T>(message: (id: number) => ToWorker): Promise<T> {
    if (this.#closing !== null) {
      return Promise.reject(new Error('The write worker is shutting down'));
    }
    const worker = this.#start();
    const id = ++this.#seq;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage(message(id));
    });
  }

  /** Starts the thread now rather than on the first delivery or pass, which then need not wait for it to load. */
  start(): void {
    if (this.#closing === null) {
      this.#start();
    }
  }

  /**
   * One pass of the pool scheduler on the worker's connection (`runScheduledTransitions`, same statements and
   * guarantees); each batch's commit wakes the dispatcher as it lands. Resolves once every batch has committed.
   */
  tick(): Promise<TickResult> {
    return this.#send<TickResult>((id) => ({
      kind: 'tick',
      id,
      now: this.options.clock.now(),
      logMoves: this.options.log.isLevelEnabled('info'),
    }));
  }

  /** Lets the deliveries and passes in flight finish, then closes the worker's database and ends the thread. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const worker = this.#worker;
    if (worker === null) {
      return;
    }
    // Every delivery sent is answered first (its transaction committed or refused), then the thread is told to stop.
    while (this.#pending.size > 0) {
      await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Referenced while it stops, so a process with nothing else left to do waits for it instead of ending first.
    worker.ref();
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    // The worker closes its database once its queued transactions have committed, then says so.
    await Promise.race([
      new Promise<void>((resolve) =>
        worker.on('message', (message: FromWorker) => {
          if (message.kind === 'closed') {
            resolve();
          }
        }),
      ),
      exited,
    ]);
    await worker.terminate();
    await exited;
  }

  #start(): Worker {
    if (this.#worker !== null) {
      return this.#worker;
    }
    const worker = spawnWorker({
      url: this.options.url,
      maxGroupSize: this.options.maxGroupSize,
      walCheckpoints: workerCheckpoints(this.options.walCheckpoints),
      writeTurns: this.options.writeTurns,
    });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.#receive(message));
    worker.on('error', (error) => {
      this.options.log.error({ err: error }, 'write worker failed');
      this.#stopped(worker, error);
    });
    worker.on('exit', (code) => {
      this.#stopped(worker, new Error(`The write worker exited (code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #receive(message: FromWorker): void {
    switch (message.kind) {
      case 'answers': {
        let accepted = false;
        const settle: Array<() => void> = [];
        for (const answer of message.answers) {
          const pending = this.#take(answer.id);
          if (answer.kind === 'result') {
            const outcome = receiveOutcome(answer.outcome);
            accepted ||= outcome.kind === 'stored' && !outcome.duplicate;
            settle.push(() => pending?.resolve(outcome as never));
          } else if (answer.kind === 'ticked') {
            settle.push(() => pending?.resolve(answer.result as never));
          } else {
            const error = new Error(answer.message);
            if (answer.stack !== undefined) {
              error.stack = answer.stack;
            }
            settle.push(() => pending?.reject(error));
          }
        }
        // The dispatcher is woken once for the whole group, before the answers go out.
        if (accepted) {
          this.options.bus.notify();
        }
        for (const fn of settle) {
          fn();
        }
        return;
      }
      case 'committed':
        this.options.bus.notify();
        return;
      case 'log':
        if (message.level === 'info') {
          this.options.log.info(message.obj, message.msg);
        } else {
          this.options.log.warn(message.obj, message.msg);
        }
        return;
      case 'closed':
        return;
    }
  }

  #take(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) {
      this.#wakeDrainWaiters();
    }
    return pending;
  }

  #wakeDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const wake of waiters) {
      wake();
    }
  }

  /** The thread is gone: what it held can no longer be answered by it. */
  #stopped(worker: Worker, error: Error): void {
    if (this.#worker !== worker) {
      return;
    }
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending) {
      reject(error);
    }
    this.#wakeDrainWaiters();
  }
}
