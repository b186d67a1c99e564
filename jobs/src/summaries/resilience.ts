import { randomInt } from 'node:crypto';
import { CircuitBreaker } from './breaker.ts';
import { abortReason, systemClock, type Clock } from './clock.ts';
import {
  AttemptTimeoutError,
  InvalidSummaryError,
  ProviderUnavailableError,
  TransientProviderError,
  type InvalidSummaryReason,
} from './errors.ts';
import type { BreakerState, ProviderStats } from './interface.ts';

export interface ResilienceOptions {
  /** Longest one request may take (LLM_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  /** Longest one call may take, waits between attempts included. */
  deadlineMs: number;
  /** Requests per call when each fails transiently (so `maxAttempts - 1` retries). */
  maxAttempts: number;
  /** Extra requests per call after an invalid answer (0 disables re-asking). */
  reasks: number;
  /** Backoff before the first retry; doubles each retry, up to `maxDelayMs`, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After the policy waits out; a longer one ends the call as unavailable. */
  retryAfterCapMs: number;
  /** Consecutive transient failures that open the breaker. */
  failureThreshold: number;
  /** Cool-down before the open breaker lets one probe through. */
  halfOpenAfterMs: number;
  clock: Clock;
  /** Uniform in [0, 1); jitter comes from it. */
  random: () => number;
  onStateChange?: (state: BreakerState) => void;
  /**
   * A cheap request that resolves when the provider answers (throwing a transient error when it
   * does not). When given, an open breaker is probed with it as soon as its cool-down is over,
   * and again after every failed probe, so the breaker closes (and `onStateChange('closed')`
   * fires) once the provider is back even when no summary is asked for.
   */
  probe?: ((signal: AbortSignal) => Promise<void>) | undefined;
}

export const defaultResilienceOptions: ResilienceOptions = {
  attemptTimeoutMs: 20_000,
  deadlineMs: 60_000,
  maxAttempts: 3,
  reasks: 1,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  retryAfterCapMs: 30_000,
  failureThreshold: 5,
  halfOpenAfterMs: 30_000,
  clock: systemClock,
  random: () => randomInt(0, 1 << 30) / (1 << 30),
};

/** What an attempt is told: its own abort signal (timeout or caller) and why it is being repeated. */
export interface AttemptContext {
  signal: AbortSignal;
  /** 1 for the first request of the call. */
  attempt: number;
  /** Set when the previous answer was rejected, so the request can say what to fix. */
  previousRejection?: InvalidSummaryReason;
}

/** Where one call stands between its attempts. */
interface CallState {
  readonly deadlineAt: number;
  attempts: number;
  transientAttempts: number;
  reasksLeft: number;
  previousRejection: InvalidSummaryReason | undefined;
  lastError: unknown;
}

export interface PolicyResult<T> {
  value: T;
  attempts: number;
}

/**
 * The one policy every provider request goes through: a timeout per attempt, a deadline per call,
 * retries with exponential backoff and jitter for transient errors only (`TransientProviderError`,
 * which honours Retry-After up to a cap, and attempt timeouts), at most `reasks` repeats after an
 * `InvalidSummaryError`, and a circuit breaker in front of every attempt. Anything else (a 4xx,
 * a bug) fails the call at once.
 *
 * A call fails with `ProviderUnavailableError` when the breaker is open, when the retries or the
 * deadline run out, or when Retry-After asks for longer than the cap; with the last
 * `InvalidSummaryError` when re-asking did not help; with the signal's reason when the caller aborts.
 *
 * @example
 * const policy = new ProviderPolicy({ attemptTimeoutMs: 20_000, deadlineMs: 60_000 });
 * const { value, attempts } = await policy.execute(({ signal }) => callModel(signal), signal);
 */
export class ProviderPolicy {
  private readonly options: ResilienceOptions;
  private readonly breaker: CircuitBreaker;
  private readonly counters = { calls: 0, attempts: 0, failures: 0, retries: 0, reasks: 0, shortCircuits: 0 };
  /** Stops the timed probe of the open breaker (the pending sleep rejects). */
  private readonly stopProbing = new AbortController();
  private probeScheduled = false;

  constructor(options: Partial<ResilienceOptions> = {}) {
    this.options = { ...defaultResilienceOptions, ...options };
    const { failureThreshold, halfOpenAfterMs, onStateChange } = this.options;
    this.breaker = new CircuitBreaker(
      {
        failureThreshold,
        halfOpenAfterMs,
        onStateChange: (state) => {
          if (state === 'open') this.scheduleProbe();
          onStateChange?.(state);
        },
      },
      this.options.clock,
    );
  }

  /** Stops probing the provider in the background. */
  close(): void {
    this.stopProbing.abort();
  }

  /** While the breaker is open and a probe is configured: one timed probe at the end of the cool-down. */
  private scheduleProbe(): void {
    const { probe, clock } = this.options;
    if (!probe || this.probeScheduled || this.stopProbing.signal.aborted) return;
    this.probeScheduled = true;
    clock.sleep(this.breaker.retryAfterMs() ?? this.options.halfOpenAfterMs, this.stopProbing.signal).then(
      () => {
        this.probeScheduled = false;
        void this.probeOnce(probe);
      },
      () => {
        this.probeScheduled = false;
      },
    );
  }

  /**
   * Sends the probe through the breaker like any attempt: a transient failure (or timeout) opens
   * it again for another cool-down, which schedules the next probe; an answer closes it. When a
   * request is probing already, it decides, and the probe tries again one cool-down later.
   */
  private async probeOnce(probe: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.breaker.state() === 'closed') return;
    if (!this.breaker.tryAcquire()) {
      if (this.breaker.state() !== 'closed') this.scheduleProbe();
      return;
    }
    try {
      await this.attemptOnce(({ signal }) => probe(signal), { attempt: 1 }, this.options.attemptTimeoutMs, this.stopProbing.signal);
      this.breaker.success();
    } catch (error: unknown) {
      if (this.stopProbing.signal.aborted) this.breaker.release();
      else if (error instanceof TransientProviderError || error instanceof AttemptTimeoutError) this.breaker.failure();
      else this.breaker.success();
    }
  }

  /** Breaker state for /readyz. */
  state(): BreakerState {
    return this.breaker.state();
  }

  /** Milliseconds until an open breaker lets an attempt through; undefined when it is not open. */
  retryAfterMs(): number | undefined {
    return this.breaker.retryAfterMs();
  }

  /** Counters since start, for /metrics. */
  stats(): ProviderStats {
    return { state: this.breaker.state(), ...this.counters, opened: this.breaker.opened() };
  }

  /** Runs `attempt` under the policy; see the class comment for how it fails. */
  async execute<T>(attempt: (context: AttemptContext) => Promise<T>, signal?: AbortSignal): Promise<PolicyResult<T>> {
    const { clock } = this.options;
    this.counters.calls++;
    const call: CallState = {
      deadlineAt: clock.now() + this.options.deadlineMs,
      attempts: 0,
      transientAttempts: 0,
      reasksLeft: this.options.reasks,
      previousRejection: undefined,
      lastError: undefined,
    };
    for (;;) {
      const remaining = this.admit(call, signal);
      call.attempts++;
      this.counters.attempts++;
      try {
        const context = { attempt: call.attempts, previousRejection: call.previousRejection };
        const value = await this.attemptOnce(attempt, context, Math.min(this.options.attemptTimeoutMs, remaining), signal);
        this.breaker.success();
        return { value, attempts: call.attempts };
      } catch (error: unknown) {
        const delay = this.afterFailure(call, error, signal);
        if (delay > 0) {
          await clock.sleep(delay, signal);
          this.counters.retries++;
        }
      }
    }
  }

  /**
   * Lets the next attempt of a call go ahead and returns the time left before its deadline; throws
   * when the caller aborted, the breaker refuses, or the deadline has passed.
   */
  private admit(call: CallState, signal: AbortSignal | undefined): number {
    if (signal?.aborted) throw abortReason(signal);
    if (!this.breaker.tryAcquire()) {
      this.counters.shortCircuits++;
      throw new ProviderUnavailableError(
        'circuit-open',
        'The summary provider is unavailable (circuit open)',
        this.breaker.retryAfterMs(),
        {
          cause: call.lastError,
        },
      );
    }
    const remaining = call.deadlineAt - this.options.clock.now();
    if (remaining <= 0) {
      this.breaker.release();
      throw new ProviderUnavailableError('deadline', 'The summary provider did not answer before the deadline', undefined, {
        cause: call.lastError,
      });
    }
    return remaining;
  }

  /**
   * Decides what a failed attempt leads to: throws when the call ends, else returns how long to
   * wait before the next attempt (0 for re-asking after an invalid answer).
   */
  private afterFailure(call: CallState, error: unknown, signal: AbortSignal | undefined): number {
    this.counters.failures++;
    call.lastError = error;
    if (signal?.aborted) {
      this.breaker.release();
      throw abortReason(signal);
    }
    if (error instanceof InvalidSummaryError) {
      this.breaker.success();
      if (call.reasksLeft <= 0) throw error;
      call.reasksLeft--;
      this.counters.reasks++;
      call.previousRejection = error.reason;
      return 0;
    }
    if (!(error instanceof TransientProviderError || error instanceof AttemptTimeoutError)) {
      this.breaker.success();
      throw error;
    }
    this.breaker.failure();
    call.transientAttempts++;
    return this.retryDelay(call, error);
  }

  /** The wait before retrying a transient failure, or the unavailability that ends the call. */
  private retryDelay(call: CallState, error: TransientProviderError | AttemptTimeoutError): number {
    if (this.breaker.state() !== 'closed') {
      throw new ProviderUnavailableError(
        'circuit-open',
        'The summary provider is unavailable (circuit open)',
        this.breaker.retryAfterMs(),
        {
          cause: error,
        },
      );
    }
    if (call.transientAttempts >= this.options.maxAttempts) {
      throw new ProviderUnavailableError(
        'retries-exhausted',
        `The summary provider failed ${String(call.transientAttempts)} times`,
        undefined,
        {
          cause: error,
        },
      );
    }
    const retryAfterMs = error instanceof TransientProviderError ? error.retryAfterMs : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > this.options.retryAfterCapMs) {
      throw new ProviderUnavailableError('retry-after-too-long', 'The summary provider asked to wait longer than allowed', retryAfterMs, {
        cause: error,
      });
    }
    const delay = this.delayBeforeRetry(call.transientAttempts, retryAfterMs);
    if (this.options.clock.now() + delay >= call.deadlineAt) {
      throw new ProviderUnavailableError('deadline', 'The summary provider did not answer before the deadline', retryAfterMs, {
        cause: error,
      });
    }
    return delay;
  }

  /**
   * Exponential backoff with "equal jitter" (half fixed, half random), so retries of many callers
   * spread out but never come back immediately. A Retry-After is waited in full, plus up to 10 %
   * (at most 1 s) so clients told the same instant do not all return at once.
   */
  private delayBeforeRetry(retry: number, retryAfterMs: number | undefined): number {
    const { initialDelayMs, maxDelayMs, random } = this.options;
    if (retryAfterMs !== undefined) return retryAfterMs + Math.min(retryAfterMs * 0.1, 1_000) * random();
    const exponential = Math.min(maxDelayMs, initialDelayMs * 2 ** (retry - 1));
    return exponential / 2 + (exponential / 2) * random();
  }

  /** One request, aborted at `timeoutMs` even when the attempt ignores its signal. */
  private async attemptOnce<T>(
    attempt: (context: AttemptContext) => Promise<T>,
    context: Omit<AttemptContext, 'signal'>,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    const controller = new AbortController();
    const stopTimer = new AbortController();
    const onCallerAbort = () => {
      controller.abort(abortReason(callerSignal));
    };
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    this.options.clock.sleep(timeoutMs, stopTimer.signal).then(
      () => {
        controller.abort(new AttemptTimeoutError(timeoutMs));
      },
      () => undefined,
    );
    const aborted = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener(
        'abort',
        () => {
          reject(abortReason(controller.signal));
        },
        { once: true },
      );
    });
    try {
      return await Promise.race([attempt({ ...context, signal: controller.signal }), aborted]);
    } catch (error: unknown) {
      // Whatever the SDK threw on abort, the reason we aborted with is the truth.
      throw controller.signal.aborted ? abortReason(controller.signal) : error;
    } finally {
      stopTimer.abort();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
