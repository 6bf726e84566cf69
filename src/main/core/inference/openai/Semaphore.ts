/**
 * Limits how many requests one client has in flight. Shared by every call of the client (generation items,
 * judge calls, retries), so a server is never sent more than `limit` requests at once.
 */
export class Semaphore {
  #active = 0;
  #waiting: (() => void)[] = [];

  constructor(private maxActive: number) {
    this.limit = maxActive;
  }

  get limit(): number {
    return this.maxActive;
  }

  set limit(value: number) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`A concurrency limit must be a positive integer, got ${value}.`);
    this.maxActive = value;
    while (this.#active < this.maxActive && this.#waiting.length > 0) this.#grantNext();
  }

  /** Waits for a slot; resolves with its release function (safe to call more than once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#active < this.maxActive) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.#releaser());
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #grantNext(): void {
    this.#active++;
    this.#waiting.shift()!();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      if (this.#active < this.maxActive && this.#waiting.length > 0) this.#grantNext();
    };
  }
}
