import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, to tell Pressbox's connections apart. */
  name: string;
  /** BullMQ workers and blocking commands need this off (null). */
  blocking?: boolean;
}

/**
 * One way to open a Redis connection, with bounded timeouts and reconnection. Key prefixes are
 * applied by each user (queues, rate limits, pub/sub channels), not here, because BullMQ and
 * pub/sub channels ignore ioredis' `keyPrefix`.
 */
export function createRedis(url: string, options: RedisConnectionOptions): Redis {
  const settings: RedisOptions = {
    connectionName: `pressbox:${options.name}`,
    connectTimeout: 5_000,
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(250 * 2 ** attempt, 5_000),
  };
  const redis = new Redis(url, settings);
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
