/** Counts requests being answered so shutdown can wait for them to finish. */
export class Inflight {
  #requests = 0;
  #idleWaiters: Array<() => void> = [];

  get requests(): number {
    return this.#requests;
  }

  begin(): () => void {
    this.#requests++;
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      this.#requests--;
      if (this.#requests === 0) {
        for (const wake of this.#idleWaiters.splice(0)) {
          wake();
        }
      }
    };
  }

  /** Resolves true once no request is in flight, or false when `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.#requests === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
