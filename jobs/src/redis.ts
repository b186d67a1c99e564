import { Redis, type RedisOptions } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, to tell Pressbox's connections apart. */
  name: string;
  /** BullMQ workers and blocking commands need this off (null). */
  blocking?: boolean;
  /**
   * Keep ioredis' offline queue: for a connection that only listens (pub/sub), whose owner
   * subscribes again itself after a reconnection, so a SUBSCRIBE may wait for the connection.
   */
  listener?: boolean;
  /** Longest a command of a regular connection waits for its answer (default `redisCommandTimeoutMs`). */
  commandTimeoutMs?: number;
}

/** How long a command of a regular connection may take before it fails as an outage. */
export const redisCommandTimeoutMs = 2_000;

/**
 * One way to open a Redis connection, with bounded timeouts and reconnection. Key prefixes are
 * applied by each user (queues, rate limits, pub/sub channels), not here, because BullMQ and
 * pub/sub channels ignore ioredis' `keyPrefix`.
 *
 * Regular connections fail fast while Redis is away: no offline queue once connected (a command
 * sent while disconnected is refused at once) and a command timeout (a Redis that stopped answering on an open
 * socket). Whoever can do without Redis (rate limits, caches) carries on; whoever cannot answers
 * 503. Blocking connections (BullMQ workers) and listeners keep the offline queue: they only wait.
 * Reconnection is tried at least every second, so service resumes about a second after Redis does.
 */
export function createRedis(url: string, options: RedisConnectionOptions): Redis {
  const settings: RedisOptions = {
    connectionName: `pressbox:${options.name}`,
    connectTimeout: 5_000,
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: true,
    ...(options.blocking ? {} : { commandTimeout: options.commandTimeoutMs ?? redisCommandTimeoutMs }),
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 1_000),
  };
  const redis = new Redis(url, settings);
  redis.on('error', () => undefined);
  if (!options.blocking && !options.listener) {
    // Commands sent before the first connection wait for it (bounded by one reconnection); after
    // that, ioredis reads this option on every command, so none waits for a Redis that went away.
    redis.once('ready', () => {
      redis.options.enableOfflineQueue = false;
    });
  }
  return redis;
}

/** Redis is known to be unreachable, so the operation was refused without waiting for it. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
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
  if (error.name === 'MaxRetriesPerRequestError' || error instanceof RedisUnavailableError) return true;
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
