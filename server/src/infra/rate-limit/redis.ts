import type { Redis } from '@pressbox/jobs';
import { decide, WINDOW_MS, type RateLimiter } from './interface.ts';

const script = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = redis.call('GET', KEYS[2])
return { current, tonumber(previous) or 0 }
`;

/** Redis-backed limiter: every API process counts against the same windows. */
export function createRedisRateLimiter(redis: Redis, prefix: string, now: () => number = Date.now): RateLimiter {
  return {
    async consume(key, limit) {
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      const result = (await redis.eval(
        script,
        2,
        `${prefix}:rl:${key}:${String(window)}`,
        `${prefix}:rl:${key}:${String(window - 1)}`,
        String(WINDOW_MS * 2),
      )) as [number, number];
      return decide(result[0], result[1], limit, at);
    },
    close: () => Promise.resolve(),
  };
}
