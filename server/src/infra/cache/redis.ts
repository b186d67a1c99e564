import type { Redis } from '@pressbox/jobs';
import type { Cache } from './interface.ts';

/** Redis-backed cache under the deployment prefix; a Redis hiccup is a miss, never an error. */
export function createRedisCache(redis: Redis, prefix: string): Cache {
  return {
    async get<T>(key: string) {
      const text = await redis.get(`${prefix}:cache:${key}`).catch(() => null);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      await redis.set(`${prefix}:cache:${key}`, JSON.stringify(value), 'PX', ttlMs).catch(() => undefined);
    },
  };
}
