import { AppError, isDatabaseUnavailable } from '@pressbox/db';
import { isRedisUnavailable } from '@pressbox/jobs';

/** Which outside system an outage is of. */
export type Dependency = 'database' | 'redis';

/** Seconds a caller is told to wait: both reconnect within about a second of coming back. */
export const outageRetryAfterSeconds = 2;

const publicMessages: Record<Dependency, string> = {
  database: 'The database is unavailable; try again shortly',
  redis: 'The job and event service is unavailable; try again shortly',
};

/** The dependency an error says is down, if it says so. */
export function outageOf(error: unknown): Dependency | undefined {
  if (error instanceof AppError) return undefined;
  if (isRedisUnavailable(error)) return 'redis';
  if (isDatabaseUnavailable(error)) return 'database';
  return undefined;
}

/**
 * An error caused by a dependency that is down, as the `SERVICE_UNAVAILABLE` AppError callers
 * get (503 with Retry-After); undefined for any other error, which stays what it was.
 *
 * @example
 * throw asOutageError(error) ?? error;
 */
export function asOutageError(error: unknown): AppError | undefined {
  const dependency = outageOf(error);
  if (!dependency) return undefined;
  return new AppError('SERVICE_UNAVAILABLE', publicMessages[dependency], {
    cause: error,
    detail: `${dependency} unavailable`,
    retryAfterSeconds: outageRetryAfterSeconds,
  });
}
