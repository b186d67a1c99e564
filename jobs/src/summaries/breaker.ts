import type { Clock } from './clock.ts';
import type { BreakerState } from './interface.ts';

export interface BreakerOptions {
  /** Consecutive failed attempts that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before it lets one probe through. */
  halfOpenAfterMs: number;
  /** Told of every change of state, e.g. to log that summaries are now served stale. */
  onStateChange?: (state: BreakerState) => void;
}

/**
 * A consecutive-failure circuit breaker. Closed: every attempt passes. After `failureThreshold`
 * failures in a row it opens and refuses attempts for `halfOpenAfterMs`; then exactly one attempt
 * (the probe) passes while the others are still refused. A success closes it from any state; a
 * failed probe opens it again for another cool-down.
 *
 * What counts as a failure is the caller's call: the summarizer reports only transient errors
 * (the provider is down), not answers it rejected (the provider is up, the model was wrong).
 *
 * @example
 * if (!breaker.tryAcquire()) throw new ProviderUnavailableError('circuit-open', '…');
 * try { await call(); breaker.success(); } catch { breaker.failure(); }
 */
export class CircuitBreaker {
  private current: 'closed' | 'open' | 'probing' = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private timesOpened = 0;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  /** The state /readyz reports: an open breaker whose cool-down is over reads as half-open. */
  state(): BreakerState {
    if (this.current === 'probing') return 'half-open';
    if (this.current === 'open') return this.coolDownOver() ? 'half-open' : 'open';
    return 'closed';
  }

  /** Times the breaker has opened since it was created. */
  opened(): number {
    return this.timesOpened;
  }

  /** Milliseconds until an open breaker lets a probe through; undefined when not open. */
  retryAfterMs(): number | undefined {
    if (this.current !== 'open') return undefined;
    return Math.max(0, this.openedAt + this.options.halfOpenAfterMs - this.clock.now());
  }

  /** True when an attempt may go ahead (and, after the cool-down, makes it the probe). */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'probing' || !this.coolDownOver()) return false;
    this.current = 'probing';
    this.options.onStateChange?.('half-open');
    return true;
  }

  /** The provider answered: close the breaker and forget past failures. */
  success(): void {
    this.consecutiveFailures = 0;
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.options.onStateChange?.('closed');
  }

  /** The provider failed; opens the breaker at the threshold, or again after a failed probe. */
  failure(): void {
    this.consecutiveFailures++;
    if (this.current === 'probing' || (this.current === 'closed' && this.consecutiveFailures >= this.options.failureThreshold)) {
      this.open();
    }
  }

  /** The attempt ended without telling anything about the provider (the caller gave up). */
  release(): void {
    if (this.current === 'probing') this.current = 'open';
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.clock.now();
    this.timesOpened++;
    this.options.onStateChange?.('open');
  }

  private coolDownOver(): boolean {
    return this.clock.now() - this.openedAt >= this.options.halfOpenAfterMs;
  }
}
