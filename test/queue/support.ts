import type { JobQueue } from '@pressbox/jobs';
import { eventually } from '../support/waiting.ts';

export { eventually };

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
