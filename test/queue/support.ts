import type { JobQueue } from '@pressbox/jobs';

/**
 * Reads `read()` until `done` accepts its value, at a short interval, and fails with the last
 * value once `timeoutMs` has passed: the way these suites wait for a condition without sleeping.
 */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 10 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

/** A promise the test settles by hand (Node 20 has no Promise.withResolvers). */
export function deferred<T = undefined>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Collects the queues a test opens so `closeAll` (in afterEach) closes them even when it fails. */
export function queueTracker(): { track(queue: JobQueue): JobQueue; closeAll(): Promise<void> } {
  const open: JobQueue[] = [];
  return {
    track(queue) {
      open.push(queue);
      return queue;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((queue) => queue.close()));
    },
  };
}
