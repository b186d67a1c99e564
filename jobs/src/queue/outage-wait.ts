import { isDatabaseUnavailable } from '@pressbox/db';

/** Longest an attempt waits for the database to come back before it fails like any other. */
export const maxOutageWaitMs = 60_000;

/**
 * Runs `run` again while it fails only because the database is unreachable (a restart, killed
 * sessions), waiting 100 ms, 200 ms, … up to 2 s between tries, for at most `maxWaitMs` in all
 * or until `signal` aborts. An outage is no fault of the job: it does not use up an attempt,
 * so no job fails for good because the database was away for a while. Processors are
 * idempotent, so running one again from the start is safe.
 */
export async function retryThroughOutages<T>(
  run: () => Promise<T>,
  signal: AbortSignal,
  maxWaitMs = maxOutageWaitMs,
  isOutage: (error: unknown) => boolean = isDatabaseUnavailable,
): Promise<T> {
  const giveUpAt = Date.now() + maxWaitMs;
  for (let tries = 0; ; tries++) {
    try {
      return await run();
    } catch (error) {
      const delay = Math.min(100 * 2 ** tries, 2_000);
      if (!isOutage(error) || signal.aborted || Date.now() + delay > giveUpAt) throw error;
      await pause(delay, signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
