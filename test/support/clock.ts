import type { Clock } from '@pressbox/server';

/** A clock that moves only when a test advances it; its sleeps end when their time comes. */
export interface ManualClock extends Clock {
  /** Moves time forward and ends every sleep that is then due, earliest first. */
  advance(ms: number): void;
  /** Sleeps not yet due. */
  sleeping(): number;
}

interface Sleeper {
  at: number;
  sequence: number;
  resolve: () => void;
}

/**
 * A manual clock starting at `start` (default: the wall clock now, so tokens minted against it
 * look ordinary). A sleep of zero or less ends at once, as a timer would.
 *
 * @example
 * const clock = manualClock();
 * const done = clock.sleep(1_000);
 * clock.advance(1_000); // done resolves
 */
export function manualClock(start = Date.now()): ManualClock {
  let time = start;
  let sequence = 0;
  const sleepers: Sleeper[] = [];
  return {
    now: () => time,
    sleeping: () => sleepers.length,
    advance(ms) {
      time += ms;
      const due = sleepers.filter((sleeper) => sleeper.at <= time).sort((a, b) => a.at - b.at || a.sequence - b.sequence);
      for (const sleeper of due) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.resolve();
      }
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError'));
          return;
        }
        if (ms <= 0) {
          resolve();
          return;
        }
        const sleeper: Sleeper = { at: time + ms, sequence: sequence++, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            const index = sleepers.indexOf(sleeper);
            if (index >= 0) sleepers.splice(index, 1);
            reject(signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError'));
          },
          { once: true },
        );
      });
    },
  };
}
