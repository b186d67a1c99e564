import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, to tell Pressbox's connections apart. */
  name: string;
  /** BullMQ workers and blocking commands need this off (null). */
  blocking?: boolean;
  /** Longest a command of a regular connection waits for its answer (default 750 ms). */
  commandTimeoutMs?: number;
}

/** How long a command of a regular connection may take before it fails as an outage. */
export const redisCommandTimeoutMs = 750;

/**
 * One way to open a Redis connection, with bounded timeouts and reconnection. Key prefixes are
 * applied by each user (queues, rate limits, pub/sub channels), not here, because BullMQ and
 * pub/sub channels ignore ioredis' `keyPrefix`.
 *
 * Regular connections fail fast while Redis is away: no offline queue (a command sent while
 * disconnected is refused at once) and a command timeout (a Redis that stopped answering on an open
 * socket). Whoever can do without Redis (rate limits, caches) carries on; whoever cannot answers
 * 503. Blocking connections (BullMQ workers) keep the offline queue: they only wait for jobs.
 * Reconnection is tried at least every second, so service resumes about a second after Redis does.
 */
export function createRedis(url: string, options: RedisConnectionOptions): Redis {
  const settings: RedisOptions = {
    connectionName: `pressbox:${options.name}`,
    connectTimeout: 5_000,
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: options.blocking === true,
    ...(options.blocking ? {} : { commandTimeout: options.commandTimeoutMs ?? redisCommandTimeoutMs }),
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 1_000),
  };
  const redis = new Redis(url, settings);
  redis.on('error', () => undefined);
  return redis;
}

const unavailableMessages = [
  "Stream isn't writeable",
  'Connection is closed',
  'Command timed out',
  'Reached the max retries per request limit',
  'connect ECONNREFUSED',
  'read ECONNRESET',
  'write EPIPE',
];

/**
 * True when an error says Redis could not be reached or did not answer (as opposed to a command
 * Redis refused): what a caller should see as 503 and retry, not as a bug. Follows `cause`.
 *
 * @example
 * catch (error) { if (isRedisUnavailable(error)) throw new AppError('SERVICE_UNAVAILABLE', '…', { cause: error }); }
 */
export function isRedisUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (unavailableMessages.some((text) => error.message.includes(text))) return true;
  return isRedisUnavailable(error.cause, depth + 1);
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
