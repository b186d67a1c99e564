import { PressboxError, retryAfterMs } from './errors.ts';

export interface RetryOptions {
  /** Attempts after the first one (default 2). */
  retries?: number;
  /** Delay before the first retry when the server gives no Retry-After (default 250 ms); doubles each time. */
  baseDelayMs?: number;
  /** Longest wait; a Retry-After beyond it is not waited for and the answer is returned (default 10 s). */
  maxDelayMs?: number;
  /** Statuses worth retrying (default 429 and 503). Network failures of idempotent calls are retried too. */
  statuses?: readonly number[];
  /** How to wait; for tests and custom schedulers (default: a timer, cut short by the call's signal). */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** A number in [0, 1) for jitter (default Math.random). */
  random?: () => number;
}

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  /** Per attempt; 0 turns the timeout off. */
  timeoutMs: number;
  retry: Required<RetryOptions> | false;
}

export const defaultRetry: Required<RetryOptions> = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  statuses: [429, 503],
  sleep: sleepFor,
  random: Math.random,
};

/** Methods whose repetition does no harm: only these are retried. */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function sleepFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full jitter: a random delay up to base·2^attempt, capped. */
export function backoffMs(attempt: number, retry: Required<RetryOptions>): number {
  return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt) * retry.random();
}

function transportFailure(error: unknown, request: Request, timedOut: boolean): PressboxError {
  const what = `${request.method} ${new URL(request.url).pathname}`;
  if (request.signal.aborted) return PressboxError.transport('ABORTED', `${what} was aborted`, error);
  if (timedOut) return PressboxError.transport('TIMEOUT', `${what} timed out`, error);
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return PressboxError.transport('NETWORK_ERROR', `${what} failed: ${reason}`, error);
}

/** One attempt with its own timeout, also ended by the caller's signal. */
async function attempt(options: TransportOptions, request: Request): Promise<Response> {
  const timeout = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : undefined;
  const signal = timeout ? AbortSignal.any([request.signal, timeout]) : request.signal;
  try {
    return await options.fetch(new Request(request, { signal }));
  } catch (error) {
    throw transportFailure(error, request, timeout?.aborted === true);
  }
}

/**
 * A `fetch` for openapi-fetch: every failure without an answer becomes a {@link PressboxError};
 * idempotent calls are retried on network failures and on the configured statuses, waiting what
 * `Retry-After` says or an exponential backoff with full jitter.
 */
export function resilientFetch(options: TransportOptions): (input: Request) => Promise<Response> {
  return async function pressboxFetch(request: Request): Promise<Response> {
    const retry = options.retry;
    const retries = retry && idempotent.has(request.method) ? retry.retries : 0;
    for (let tried = 0; ; tried += 1) {
      const last = tried >= retries || !retry;
      let response: Response;
      try {
        response = await attempt(options, last ? request : request.clone());
      } catch (error) {
        if (last || (error instanceof PressboxError && error.code === 'ABORTED')) throw error;
        await retry.sleep(backoffMs(tried, retry), request.signal).catch((reason: unknown) => {
          throw transportFailure(reason, request, false);
        });
        continue;
      }
      if (last || !retry.statuses.includes(response.status)) return response;
      const header = response.headers.get('retry-after');
      const wait = (header ? retryAfterMs(header, Date.now()) : undefined) ?? backoffMs(tried, retry);
      if (wait > retry.maxDelayMs) return response;
      await response.body?.cancel().catch(() => undefined);
      await retry.sleep(wait, request.signal).catch((reason: unknown) => {
        throw transportFailure(reason, request, false);
      });
    }
  };
}
