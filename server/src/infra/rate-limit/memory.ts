import { decide, WINDOW_MS, type RateLimiter } from './interface.ts';

/** In-process limiter for the embedded default. */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { window: number; current: number; previous: number }>();
  const sweep = setInterval(() => {
    const window = Math.floor(now() / WINDOW_MS);
    for (const [key, entry] of windows) if (entry.window < window - 1) windows.delete(key);
  }, WINDOW_MS);
  sweep.unref();
  return {
    consume(key, limit) {
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      let entry = windows.get(key);
      if (!entry || entry.window < window - 1) entry = { window, current: 0, previous: 0 };
      else if (entry.window === window - 1) entry = { window, current: 0, previous: entry.current };
      entry.current += 1;
      windows.set(key, entry);
      return Promise.resolve(decide(entry.current, entry.previous, limit, at));
    },
    close() {
      clearInterval(sweep);
      return Promise.resolve();
    },
  };
}
