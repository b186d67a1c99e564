import { randomBytes } from 'node:crypto';
import { createRedis, type Redis } from '@pressbox/jobs';
import { inject } from 'vitest';
import { redisUrl } from './environment.ts';

/** False when Redis is missing outside CI (the global setup already failed the run in CI). */
export function redisAvailable(): boolean {
  return inject('redisAvailable');
}

/** A key/channel prefix no other test run or file shares. */
export function uniquePrefix(label = 'pbt'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/** A connection to the real Redis; delete your prefix's keys with `deleteKeys` when done. */
export function connectTestRedis(name = 'test'): Redis {
  return createRedis(redisUrl, { name });
}

/** Resolves once the connection can take commands (Pressbox's connections keep no offline queue). */
export async function redisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', () => {
      resolve();
    });
    redis.once('end', () => {
      reject(new Error('the Redis connection ended before it was ready'));
    });
  });
}

/** Removes every key under a prefix (SCAN, never KEYS). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  await redisReady(redis);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
