/** Why a model's answer was not accepted as a summary. */
export type InvalidSummaryReason = 'malformed' | 'schema' | 'empty' | 'unknown-citation';

/** Why the provider could not be used for this call. */
export type UnavailableReason = 'circuit-open' | 'retries-exhausted' | 'deadline' | 'retry-after-too-long';

/** Base of every error a `Summarizer` rejects with, so callers can tell them from bugs. */
export class SummarizerError extends Error {
  override name = 'SummarizerError';
  /** Messages are written for whoever reads a failed summary job; causes go to the log only. */
  readonly expose = true;
}

/**
 * There is nothing to summarise. The caller answers with an `empty` summary instead of calling
 * a provider.
 */
export class NoArticlesError extends SummarizerError {
  override name = 'NoArticlesError';
  constructor() {
    super('A summary needs at least one article');
  }
}

/**
 * The model answered, but the answer cannot be stored: it is not JSON, breaks the schema, is
 * empty, or cites an article that was not in the input. Never retried as a transient error.
 */
export class InvalidSummaryError extends SummarizerError {
  override name = 'InvalidSummaryError';
  constructor(
    readonly reason: InvalidSummaryReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider cannot be used right now: the breaker is open, or transient failures outlasted the
 * retries or the deadline. The caller serves the last good summary with `stale: true`.
 * `retryAfterMs`, when known, is how long until a new call may succeed.
 */
export class ProviderUnavailableError extends SummarizerError {
  override name = 'ProviderUnavailableError';
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The provider refused the request itself (a 4xx other than 429): retrying cannot help. */
export class ProviderRejectedError extends SummarizerError {
  override name = 'ProviderRejectedError';
  constructor(
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One attempt took longer than its timeout; transient, so the policy retries it. */
export class AttemptTimeoutError extends SummarizerError {
  override name = 'AttemptTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The provider did not answer within ${String(timeoutMs)} ms`);
  }
}

/**
 * The provider failed in a way that may pass: 429, 5xx or a network error. `retryAfterMs` is the
 * provider's own Retry-After, when it sent one.
 */
export class TransientProviderError extends SummarizerError {
  override name = 'TransientProviderError';
  constructor(
    readonly status: number | undefined,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
