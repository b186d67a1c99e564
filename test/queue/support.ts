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

/**
 * Collects the queues a test opens so `closeAll` (in afterEach) closes them even when it fails,
 * and the gates its jobs wait on, which `closeAll` opens first: a queue closes once its active
 * jobs end, so a test that failed before opening its gate would otherwise hang in the cleanup
 * instead of reporting its failure.
 */
export function queueTracker(): { track(queue: JobQueue): JobQueue; gate(): Deferred<undefined>; closeAll(): Promise<void> } {
  const open: JobQueue[] = [];
  const gates: Deferred<undefined>[] = [];
  return {
    track(queue) {
      open.push(queue);
      return queue;
    },
    gate() {
      const gate = deferred();
      gates.push(gate);
      return gate;
    },
    async closeAll() {
      for (const gate of gates.splice(0)) gate.resolve(undefined);
      await Promise.all(open.splice(0).map((queue) => queue.close()));
    },
  };
}
