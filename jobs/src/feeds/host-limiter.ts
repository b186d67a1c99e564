/** Gives a slot back; calling it twice is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

interface HostState {
  active: number;
  waiting: Waiter[];
}

/**
 * A semaphore per host name, so one worker never opens more than `limit` connections to the same
 * publisher however many of its feeds are due at once. In-process only: each worker process keeps
 * its own limit, which is what "per host concurrency" means for a polite crawler.
 *
 * @example
 * const limiter = new HostLimiter(2);
 * const release = await limiter.acquire('example.com');
 * try { await download(); } finally { release(); }
 */
export class HostLimiter {
  readonly #hosts = new Map<string, HostState>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('the limit must be a positive integer');
  }

  /** Waits for a free slot for `host` (case-insensitive); rejects if `signal` aborts first. */
  acquire(host: string, signal?: AbortSignal): Promise<Release> {
    const key = host.toLowerCase();
    signal?.throwIfAborted();
    const state = this.#hosts.get(key) ?? { active: 0, waiting: [] };
    this.#hosts.set(key, state);
    if (state.active < this.limit) {
      state.active += 1;
      return Promise.resolve(this.#releaser(key, state));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = state.waiting.indexOf(waiter);
        if (index >= 0) state.waiting.splice(index, 1);
        this.#forgetIfIdle(key, state);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a host slot'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiting.push(waiter);
    });
  }

  /** Requests running now for `host`, for tests and metrics. */
  active(host: string): number {
    return this.#hosts.get(host.toLowerCase())?.active ?? 0;
  }

  /** Requests queued for `host`. */
  waiting(host: string): number {
    return this.#hosts.get(host.toLowerCase())?.waiting.length ?? 0;
  }

  #releaser(key: string, state: HostState): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      if (next) {
        next.grant(this.#releaser(key, state));
        return;
      }
      state.active -= 1;
      this.#forgetIfIdle(key, state);
    };
  }

  #forgetIfIdle(key: string, state: HostState): void {
    if (state.active === 0 && state.waiting.length === 0 && this.#hosts.get(key) === state) this.#hosts.delete(key);
  }
}

/** The limit the design fixes for feed fetching: two requests per host at a time. */
export const FEED_HOST_CONCURRENCY = 2;

/** The limiter every fetcher in this process shares unless it is given its own. */
export const feedHostLimiter = new HostLimiter(FEED_HOST_CONCURRENCY);
