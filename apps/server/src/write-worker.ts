/**
 * The SQLite write worker: a thread that owns a write connection of its own and stores the model's verified webhook
 * deliveries (`storeVerifiedDelivery`), so the server thread never waits for their COMMIT. With `synchronous=FULL` a
 * COMMIT returns only once the WAL is on disk, and that fsync (2–30 ms on this class of disk) blocked the server's
 * event loop for every commit group; here it blocks only this thread, while the server thread goes on reading,
 * verifying and answering requests. Durability is unchanged: a delivery is answered after the commit that stored it.
 * It also runs the pool scheduler's passes (`runScheduledTransitions`), whose batches of thousands of moves each held
 * the server's event loop for a fraction of a second; the server thread's dispatcher announces each batch while the
 * next is written.
 *
 * SQLite serialises this connection's transactions with the server's own; the two take turns at the write lock
 * through `WriteTurns` (the server thread's goes first when it waits, and neither sleeps in SQLite's busy handler).
 * Started by `SqliteWriteWorker` (write-worker-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runScheduledTransitions } from '@tradepool/api/scheduler';
import { storeVerifiedDelivery } from '@tradepool/api/webhook-store';
import { createDatabase, type WalCheckpoints } from '@tradepool/db';
import { type FromWorker, sendOutcome, type ToWorker, type WorkerAnswer } from './write-worker-protocol';

interface SqliteWriteWorkerData {
  url: string;
  maxGroupSize: number | undefined;
  walCheckpoints: WalCheckpoints;
  writeTurns: SharedArrayBuffer | undefined;
}

const port = parentPort;
if (port === null) {
  throw new Error('write-worker.ts runs as a worker thread (see write-worker-client.ts)');
}
const send = (message: FromWorker) => port.postMessage(message);
const { url, maxGroupSize, walCheckpoints, writeTurns } = workerData as SqliteWriteWorkerData;

const database = await createDatabase(url, {
  logger: { warn: (obj, msg) => send({ kind: 'log', level: 'warn', obj: { ...obj }, msg }) },
  ...(maxGroupSize === undefined ? {} : { maxGroupSize }),
  walCheckpoints,
  // The server thread's turns at the write lock: this connection lets it go first when it waits (WriteTurns).
  ...(writeTurns === undefined ? {} : { writeTurns }),
});
// The server thread wakes its dispatcher when it receives the outcome (the commit is visible to its reads by then).
const bus = { notify() {} };
// A scheduler batch's commit wakes it at once, so its moves are announced while the next batch is written.
const schedulerBus = { notify: () => send({ kind: 'committed' }) };

// Answers settled in the same turn (one commit group) leave in one message, after the turn.
let outbox: WorkerAnswer[] = [];
const answer = (one: WorkerAnswer) => {
  if (outbox.length === 0) {
    setImmediate(() => {
      const answers = outbox;
      outbox = [];
      send({ kind: 'answers', answers });
    });
  }
  outbox.push(one);
};

port.on('message', (message: ToWorker) => {
  if (message.kind === 'close') {
    // The server thread sends this only once every delivery it sent has been answered.
    void database.close().finally(() => send({ kind: 'closed' }));
    return;
  }
  if (message.kind === 'tick') {
    const { id, now, logMoves } = message;
    // The server's instant at the start of the pass, running on with this thread's monotonic time.
    const started = performance.now();
    const clock = { now: () => new Date(now.getTime() + Math.floor(performance.now() - started)) };
    const log = {
      isLevelEnabled: () => logMoves,
      info: (obj: object, msg: string) => send({ kind: 'log', level: 'info', obj, msg }),
    };
    runScheduledTransitions({ database, clock, bus: schedulerBus, log }).then(
      (result) => answer({ kind: 'ticked', id, result }),
      (error: unknown) => answer(failure(id, error)),
    );
    return;
  }
  const { id, now, delivery } = message;
  storeVerifiedDelivery({ database, clock: { now: () => now }, bus }, delivery).then(
    (outcome) => answer({ kind: 'result', id, outcome: sendOutcome(outcome) }),
    (error: unknown) => answer(failure(id, error)),
  );
});

function failure(id: number, error: unknown): WorkerAnswer {
  return {
    kind: 'failure',
    id,
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  };
}
