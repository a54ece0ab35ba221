/**
 * Turns at a SQLite file's write lock between the threads of one process: the server thread and its write worker
 * (the webhook's deliveries and the scheduler's passes, apps/server/src/write-worker.ts), which have a write
 * connection each. SQLite alone would let them take turns through its busy handler, which is neither fair nor kind
 * to an event loop: a BEGIN IMMEDIATE that finds the lock taken sleeps in the calling thread (up to `busy_timeout`),
 * and a worker committing group after group retakes the lock within a millisecond of releasing it, while the waiting
 * thread polls every 100 ms; a server-thread write during a scheduler pass over 50,000 pools stalled the server's
 * event loop for 2.6 s in one try.
 *
 * So the two cooperate through two integers in shared memory. Neither sleeps in SQLite: each tries BEGIN IMMEDIATE
 * without waiting and, while the lock is taken, waits asynchronously for the other's next release (or a short
 * timeout, for writers in other processes, which do not signal), up to the same `busy_timeout`. The server thread
 * (`role: 'server'`) says when it is waiting (`WAITING`), and the worker (`role: 'deferring'`) does not begin while it
 * is, so the server thread gets the lock at the worker's next release instead of whenever its polling happens to
 * fall between two of the worker's transactions.
 * Each side counts its releases (`RELEASES`) and wakes the other. Correctness stays SQLite's: this only decides who
 * asks first. Other processes on the same file are still serialised by SQLite's lock and busy handler.
 */
export type WriteTurnsRole = 'server' | 'deferring';

/** `Atomics.waitAsync` (Node 16 and later; in TypeScript's ES2024 library, which this project does not target). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      cells: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const WAITING = 0;
const RELEASES = 1;

/** How long the server thread waits for a release before it tries again anyway (a writer in another process). */
const RETRY_MS = 25;

export class WriteTurns {
  readonly #cells: Int32Array;

  constructor(
    readonly role: WriteTurnsRole,
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.#cells = new Int32Array(buffer);
  }

  /**
   * Begins a write transaction with `tryBegin` (BEGIN IMMEDIATE that fails at once when the lock is taken, answering
   * false), waiting as the role says, until `timeoutMs` has passed; then throws `busyError()`.
   */
  async begin(tryBegin: () => boolean, timeoutMs: number, busyError: () => unknown): Promise<void> {
    if (this.role === 'deferring') {
      // Wait while the server thread is waiting for the lock: it takes it at this thread's last release.
      for (
        let waiting = Atomics.load(this.#cells, WAITING);
        waiting > 0;
        waiting = Atomics.load(this.#cells, WAITING)
      ) {
        await this.#change(WAITING, waiting, RETRY_MS);
      }
    }
    if (tryBegin()) {
      return;
    }
    const deadline = Date.now() + timeoutMs;
    const server = this.role === 'server';
    if (server) {
      Atomics.add(this.#cells, WAITING, 1);
    }
    try {
      for (;;) {
        const releases = Atomics.load(this.#cells, RELEASES);
        if (tryBegin()) {
          return;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw busyError();
        }
        await this.#change(RELEASES, releases, Math.min(RETRY_MS, left));
      }
    } finally {
      if (server) {
        Atomics.sub(this.#cells, WAITING, 1);
        Atomics.notify(this.#cells, WAITING);
      }
    }
  }

  /** The write transaction ended (committed or rolled back): the other thread may take the lock. */
  released(): void {
    Atomics.add(this.#cells, RELEASES, 1);
    Atomics.notify(this.#cells, RELEASES);
  }

  /** Resolves when cell `index` no longer holds `value`, or after `timeoutMs`. */
  async #change(index: number, value: number, timeoutMs: number): Promise<void> {
    const wait = waitAsync(this.#cells, index, value, timeoutMs);
    if (wait.async) {
      await wait.value;
    }
  }
}
