import { EventEmitter } from 'node:events';

/**
 * Wakes the dispatchers after a commit that stored events. In one process an in-memory notifier is enough; with
 * several processes on one Postgres, the dispatcher also polls (and a LISTEN/NOTIFY implementation can fill this
 * interface), so every process fans out every event to its own clients.
 */
export interface EventBus {
  /** Called after a transaction that appended events has committed. */
  notify(): void;
  /** Registers a wake-up callback; returns the unsubscribe function. */
  onNotify(listener: () => void): () => void;
}

export class InProcessEventBus implements EventBus {
  readonly #emitter = new EventEmitter();

  notify(): void {
    this.#emitter.emit('wake');
  }

  onNotify(listener: () => void): () => void {
    this.#emitter.on('wake', listener);
    return () => this.#emitter.off('wake', listener);
  }
}
