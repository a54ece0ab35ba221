import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DatabaseLogger } from '../options';

/**
 * Who copies the WAL back into the database file (a checkpoint):
 * - `commit`: SQLite's default, the COMMIT that finds the WAL over 1,000 pages, on the committing connection's thread;
 * - `thread`: a checkpointer thread this database starts (`SqliteCheckpointer`); its own write connection checkpoints
 *   only past `WAL_PAGES_BOUND`, should the thread fall behind;
 * - `elsewhere`: another database on the same file (the server's, say) runs the thread; this one keeps the same bound.
 */
export type WalCheckpoints = 'commit' | 'thread' | 'elsewhere';

/**
 * While a checkpointer thread runs, the WAL size at which a committing connection checkpoints it after all (4 KiB
 * pages: 64 MiB). Only reached when the thread falls behind, so the WAL stays bounded whatever happens to the thread.
 */
export const WAL_PAGES_BOUND = 16_384;

/** How often the thread checkpoints. A PASSIVE checkpoint with nothing to copy costs a few microseconds. */
const INTERVAL_MS = 100;

/** A checkpoint that copied something: the WAL's frames and how many of them are now in the database file. */
export interface CheckpointProgress {
  walFrames: number;
  checkpointed: number;
}

type FromThread = ({ kind: 'checkpoint' } & CheckpointProgress) | { kind: 'error'; message: string };

/**
 * The thread's code, run as a script (no TypeScript loader, no `--import` hooks, so it starts in under 0.1 s from
 * source and from the built server alike). PASSIVE copies what no reader still needs without waiting for readers or
 * writers; with `synchronous=FULL` it syncs the WAL before copying and the database file after.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
let last = '';
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    const now = result.log + ':' + result.checkpointed;
    if (result.checkpointed > 0 && now !== last) {
      last = now;
      parentPort.postMessage({ kind: 'checkpoint', walFrames: result.log, checkpointed: result.checkpointed });
    }
  } catch (error) {
    parentPort.postMessage({ kind: 'error', message: String(error && error.message ? error.message : error) });
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a SQLite file's WAL on a thread of its own, so no COMMIT on the server's event loop (or the ingest
 * worker's) pays for copying pages into the database file and syncing it: with SQLite's default every COMMIT that
 * finds the WAL over 1,000 pages does, and in a scheduler tick that wrote 180 MB those copies were a quarter of its
 * time (docs/performance.md, scheduler). Durability is the WAL's, as before: a COMMIT still returns once the WAL is on
 * disk. If the thread fails, the connection that started it goes back to checkpointing on commit (`onFailure`).
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #listeners = new Set<(progress: CheckpointProgress) => void>();
  #closing = false;

  constructor(path: string, logger: DatabaseLogger, onFailure: () => void) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { path, module, intervalMs: INTERVAL_MS },
    });
    this.#worker.unref();
    let reported = false;
    this.#worker.on('message', (message: FromThread) => {
      if (message.kind === 'checkpoint') {
        for (const listener of this.#listeners) {
          listener(message);
        }
      } else if (!reported) {
        // Reported once: a failing checkpoint fails again every interval. The bound keeps the WAL in check meanwhile.
        reported = true;
        logger.warn({ error: message.message }, 'SQLite checkpointer thread failed to checkpoint');
      }
    });
    this.#worker.on('error', (error) => {
      logger.warn({ error: error.message }, 'SQLite checkpointer thread stopped; commits checkpoint again');
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        if (!this.#closing) {
          onFailure();
        }
        resolve();
      });
    });
  }

  /** Calls `fn` after each checkpoint that copied pages; returns the function that stops it. */
  onCheckpoint(fn: (progress: CheckpointProgress) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Stops the thread after the checkpoint it may be running, and closes its connection. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      // Referenced again while it stops: awaiting an unreferenced thread's exit would let a process with nothing
      // else to do end before the database closes (and before anything after that close runs).
      this.#worker.ref();
      this.#worker.postMessage('close');
    }
    return this.#exited;
  }
}
