import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeliveryStore, StoreOutcome, VerifiedDelivery } from '@tradepool/api/server';
import type { WalCheckpoints } from '@tradepool/db';
import type { Clock } from '@tradepool/domain';
import { type FromWorker, receiveOutcome, type ToWorker } from './ingest-worker-protocol';

interface Pending {
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: Error) => void;
}

export interface IngestWorkerOptions {
  /** The SQLite database URL (`file:…`) the server's own connections use. */
  url: string;
  maxGroupSize?: number | undefined;
  /**
   * Who checkpoints the file's WAL, as the server's own database was told (`database.walCheckpoints`). When the
   * server runs a checkpointer thread, the worker's COMMITs leave checkpoints to it (`elsewhere`) instead of copying
   * pages into the database file themselves each time the WAL passes 1,000 pages (default: `commit`).
   */
  walCheckpoints?: WalCheckpoints | undefined;
  clock: Clock;
  /** Woken after each accepted delivery, as the in-thread store's commit wakes it. */
  bus: { notify(): void };
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * Starts the worker thread: `ingest-worker.js` beside this module in the built server (dist/). From source (tsx in
 * development and the bench, vitest in tests) the entry is `ingest-worker.ts`, which a worker can only load after
 * registering tsx's module hooks in that thread (Node 20 does not apply `--import` from a worker's execArgv), so a
 * small bootstrap registers them first, through tsx's documented `tsx/esm/api` entry.
 */
function spawnWorker(workerData: object): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./ingest-worker.js', import.meta.url), { workerData });
  }
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(manifest), exports['./esm/api']?.import.default ?? '')).href;
  const entry = new URL('./ingest-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The worker's own connection never runs the checkpointer thread: the server's database does, or nobody does. */
export function workerCheckpoints(server: WalCheckpoints | undefined): WalCheckpoints {
  return server === 'thread' || server === 'elsewhere' ? 'elsewhere' : 'commit';
}

/**
 * Stores verified model deliveries on a worker thread with its own SQLite write connection (see ingest-worker.ts).
 * Started on the first delivery; if it dies, the deliveries it held are answered 500 (the model retries them under
 * the same webhook-id, so none is applied twice) and the next delivery starts a new one.
 */
export class IngestWorker implements DeliveryStore {
  #worker: Worker | null = null;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();
  #closing: Promise<void> | null = null;
  #drainWaiters: Array<() => void> = [];

  constructor(private readonly options: IngestWorkerOptions) {}

  store(delivery: VerifiedDelivery): Promise<StoreOutcome> {
    if (this.#closing !== null) {
      return Promise.reject(new Error('The ingest worker is shutting down'));
    }
    const worker = this.#start();
    const id = ++this.#seq;
    return new Promise<StoreOutcome>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ kind: 'store', id, now: this.options.clock.now(), delivery } satisfies ToWorker);
    });
  }

  /** Lets the deliveries in flight finish, then closes the worker's database and ends the thread. */
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
    });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.#receive(message));
    worker.on('error', (error) => {
      this.options.log.error({ err: error }, 'ingest worker failed');
      this.#stopped(worker, error);
    });
    worker.on('exit', (code) => {
      this.#stopped(worker, new Error(`The ingest worker exited (code ${code})`));
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
            settle.push(() => pending?.resolve(outcome));
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
      case 'log':
        this.options.log.warn(message.obj, message.msg);
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
