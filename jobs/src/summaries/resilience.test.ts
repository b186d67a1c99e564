import { describe, expect, it } from 'vitest';
import { abortReason, type Clock } from './clock.ts';
import {
  AttemptTimeoutError,
  InvalidSummaryError,
  ProviderRejectedError,
  ProviderUnavailableError,
  TransientProviderError,
} from './errors.ts';
import type { BreakerState } from './interface.ts';
import { ProviderPolicy, type AttemptContext, type ResilienceOptions } from './resilience.ts';

/**
 * Virtual time: a sleep is due at now + ms, and whenever the process is otherwise idle the earliest
 * due sleep fires and time jumps to it. Attempts in these tests settle within a turn of the event
 * loop, so a timer only fires when the code under test is really waiting for it.
 */
class VirtualClock implements Clock {
  private time = 1_000_000;
  private sequence = 0;
  private readonly timers: { at: number; sequence: number; resolve: () => void }[] = [];
  private scheduled = false;
  /** Every duration asked of sleep, in order. */
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const timer = { at: this.time + ms, sequence: this.sequence++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers.splice(this.timers.indexOf(timer), 1);
          reject(abortReason(signal));
        },
        { once: true },
      );
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence);
      const next = this.timers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}

function policyWith(overrides: Partial<ResilienceOptions> = {}): { policy: ProviderPolicy; clock: VirtualClock } {
  const clock = new VirtualClock();
  const policy = new ProviderPolicy({
    attemptTimeoutMs: 1_000,
    deadlineMs: 60_000,
    maxAttempts: 3,
    reasks: 1,
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    retryAfterCapMs: 5_000,
    failureThreshold: 3,
    halfOpenAfterMs: 30_000,
    clock,
    random: () => 0.5,
    ...overrides,
  });
  return { policy, clock };
}

/** An outcome that never settles. */
const hang = Symbol('hang');

/** An attempt that plays one scripted outcome per call: a value, an error to throw, or `hang`. */
function script(...outcomes: (string | Error | typeof hang)[]): {
  attempt: (context: AttemptContext) => Promise<string>;
  contexts: AttemptContext[];
} {
  const contexts: AttemptContext[] = [];
  return {
    contexts,
    attempt: (context) => {
      contexts.push(context);
      const outcome = outcomes[Math.min(contexts.length - 1, outcomes.length - 1)];
      if (outcome === hang) return new Promise<string>(() => undefined);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome ?? 'ok');
    },
  };
}

const serverError = () => new TransientProviderError(500, 'boom');

describe('ProviderPolicy retries', () => {
  it('retries a transient failure and reports both attempts', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(serverError(), 'summary');
    await expect(policy.execute(attempt)).resolves.toEqual({ value: 'summary', attempts: 2 });
    expect(contexts).toHaveLength(2);
    expect(policy.stats()).toMatchObject({ calls: 1, attempts: 2, failures: 1, retries: 1 });
  });

  it('backs off exponentially with jitter between retries', async () => {
    const delays: number[] = [];
    const { policy, clock } = policyWith({ maxAttempts: 4, failureThreshold: 10, random: () => 1 - Number.EPSILON });
    const originalSleep = clock.sleep.bind(clock);
    clock.sleep = (ms, signal) => {
      if (ms !== 1_000) delays.push(ms);
      return originalSleep(ms, signal);
    };
    await policy.execute(script(serverError(), serverError(), serverError(), 'ok').attempt);
    expect(delays).toHaveLength(3);
    delays.forEach((delay, retry) => {
      const ceiling = Math.min(1_000, 100 * 2 ** retry);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
    expect(delays[2]).toBeGreaterThan(delays[0]!);
  });

  it('spreads retries with jitter: a different random draw gives a different wait', async () => {
    const waits = await Promise.all(
      [0, 0.99].map(async (draw) => {
        const { policy, clock } = policyWith({ random: () => draw });
        const start = clock.now();
        await policy.execute(script(serverError(), 'ok').attempt);
        return clock.now() - start;
      }),
    );
    expect(waits[0]).toBe(50);
    expect(waits[1]).toBeCloseTo(99.5, 5);
  });

  it('waits out Retry-After, plus at most 10 % of jitter', async () => {
    const { policy, clock } = policyWith({ random: () => 1 - Number.EPSILON });
    const start = clock.now();
    await policy.execute(script(new TransientProviderError(429, 'slow down', 2_000), 'ok').attempt);
    expect(clock.now() - start).toBeGreaterThanOrEqual(2_000);
    expect(clock.now() - start).toBeLessThanOrEqual(2_200);
  });

  it('gives up at once when Retry-After is longer than the cap, passing the wait on', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(new TransientProviderError(429, 'slow down', 120_000), 'ok');
    const failure = await policy.execute(attempt).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure).toMatchObject({ reason: 'retry-after-too-long', retryAfterMs: 120_000 });
    expect(contexts).toHaveLength(1);
  });

  it('does not retry a rejected request', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(new ProviderRejectedError(400, 'bad request'), 'ok');
    await expect(policy.execute(attempt)).rejects.toBeInstanceOf(ProviderRejectedError);
    expect(contexts).toHaveLength(1);
    expect(policy.stats().retries).toBe(0);
  });

  it('does not retry an unexpected error', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(new TypeError('bug'), 'ok');
    await expect(policy.execute(attempt)).rejects.toThrow('bug');
    expect(contexts).toHaveLength(1);
  });

  it('stops after maxAttempts transient failures', async () => {
    const { policy } = policyWith({ failureThreshold: 10 });
    const { attempt, contexts } = script(serverError());
    await expect(policy.execute(attempt)).rejects.toMatchObject({ name: 'ProviderUnavailableError', reason: 'retries-exhausted' });
    expect(contexts).toHaveLength(3);
  });

  it('times out an attempt that never answers, aborts its signal and retries', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(hang, 'late but fine');
    await expect(policy.execute(attempt)).resolves.toEqual({ value: 'late but fine', attempts: 2 });
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(contexts[0]?.signal.reason).toBeInstanceOf(AttemptTimeoutError);
    expect(contexts[1]?.signal.aborted).toBe(false);
  });

  it('ends the call at its deadline even when attempts remain', async () => {
    const { policy, clock } = policyWith({ deadlineMs: 2_500, maxAttempts: 10, failureThreshold: 100 });
    const start = clock.now();
    const failure = await policy.execute(script(hang).attempt).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'ProviderUnavailableError', reason: 'deadline' });
    expect(clock.now() - start).toBeLessThanOrEqual(2_500);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const { policy } = policyWith();
    const controller = new AbortController();
    const { attempt, contexts } = script(hang);
    const call = policy.execute(attempt, controller.signal);
    controller.abort(new Error('job cancelled'));
    await expect(call).rejects.toThrow('job cancelled');
    expect(contexts).toHaveLength(1);
    expect(policy.state()).toBe('closed');
  });
});

describe('ProviderPolicy re-asks', () => {
  it('asks once more after an invalid answer, saying why', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(new InvalidSummaryError('unknown-citation', 'bad id'), 'grounded');
    await expect(policy.execute(attempt)).resolves.toEqual({ value: 'grounded', attempts: 2 });
    expect(contexts.map((context) => context.previousRejection)).toEqual([undefined, 'unknown-citation']);
    expect(policy.stats()).toMatchObject({ reasks: 1, retries: 0 });
  });

  it('fails with the invalid answer when the re-ask is invalid too', async () => {
    const { policy } = policyWith();
    const { attempt, contexts } = script(new InvalidSummaryError('schema', 'bad shape'));
    await expect(policy.execute(attempt)).rejects.toMatchObject({ name: 'InvalidSummaryError', reason: 'schema' });
    expect(contexts).toHaveLength(2);
  });

  it('does not re-ask when re-asking is off', async () => {
    const { policy } = policyWith({ reasks: 0 });
    const { attempt, contexts } = script(new InvalidSummaryError('empty', 'nothing'));
    await expect(policy.execute(attempt)).rejects.toBeInstanceOf(InvalidSummaryError);
    expect(contexts).toHaveLength(1);
  });

  it('does not count invalid answers against the breaker', async () => {
    const { policy } = policyWith({ failureThreshold: 2, reasks: 0 });
    for (let call = 0; call < 3; call++)
      await policy.execute(script(new InvalidSummaryError('schema', 'bad')).attempt).catch(() => undefined);
    expect(policy.state()).toBe('closed');
  });
});

describe('ProviderPolicy circuit breaker', () => {
  async function openBreaker(policy: ProviderPolicy): Promise<void> {
    await policy.execute(script(serverError()).attempt).catch(() => undefined);
    expect(policy.state()).toBe('open');
  }

  it('opens after the threshold of consecutive transient failures', async () => {
    const { policy } = policyWith({ failureThreshold: 3, maxAttempts: 3 });
    const { attempt, contexts } = script(serverError());
    const failure = await policy.execute(attempt).catch((error: unknown) => error);
    expect(contexts).toHaveLength(3);
    expect(failure).toMatchObject({ name: 'ProviderUnavailableError', reason: 'circuit-open' });
    expect(policy.stats()).toMatchObject({ state: 'open', opened: 1, failures: 3 });
  });

  it('a success resets the count of consecutive failures', async () => {
    const { policy } = policyWith({ failureThreshold: 3, maxAttempts: 1 });
    for (const outcome of [serverError(), serverError(), 'ok', serverError(), serverError()]) {
      await policy.execute(script(outcome).attempt).catch(() => undefined);
    }
    expect(policy.state()).toBe('closed');
  });

  it('refuses calls while open without attempting them', async () => {
    const { policy } = policyWith();
    await openBreaker(policy);
    const { attempt, contexts } = script('ok');
    const failure = await policy.execute(attempt).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure).toMatchObject({ reason: 'circuit-open', retryAfterMs: 30_000 });
    expect(contexts).toHaveLength(0);
    expect(policy.stats().shortCircuits).toBe(1);
  });

  it('reads half-open once the cool-down is over, and a successful probe closes it', async () => {
    const { policy, clock } = policyWith();
    await openBreaker(policy);
    clock.advance(29_999);
    expect(policy.state()).toBe('open');
    clock.advance(1);
    expect(policy.state()).toBe('half-open');
    await expect(policy.execute(script('ok').attempt)).resolves.toMatchObject({ value: 'ok' });
    expect(policy.state()).toBe('closed');
  });

  it('lets exactly one probe through while half-open', async () => {
    const { policy, clock } = policyWith({ attemptTimeoutMs: 10_000 });
    await openBreaker(policy);
    clock.advance(30_000);
    let release: (value: string) => void = () => undefined;
    const probe = policy.execute(() => new Promise<string>((resolve) => (release = resolve)));
    const other = script('ok');
    await expect(policy.execute(other.attempt)).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(other.contexts).toHaveLength(0);
    release('probe ok');
    await expect(probe).resolves.toMatchObject({ value: 'probe ok' });
    expect(policy.state()).toBe('closed');
  });

  it('opens again for a full cool-down when the probe fails', async () => {
    const { policy, clock } = policyWith();
    await openBreaker(policy);
    clock.advance(30_000);
    const probe = script(serverError(), 'never reached');
    await expect(policy.execute(probe.attempt)).rejects.toMatchObject({ reason: 'circuit-open' });
    expect(probe.contexts).toHaveLength(1);
    expect(policy.stats()).toMatchObject({ state: 'open', opened: 2 });
    clock.advance(29_000);
    expect(policy.state()).toBe('open');
  });

  it('closes when the probe gets an answer, even one it rejects', async () => {
    const { policy, clock } = policyWith({ reasks: 0 });
    await openBreaker(policy);
    clock.advance(30_000);
    await policy.execute(script(new InvalidSummaryError('schema', 'bad')).attempt).catch(() => undefined);
    expect(policy.state()).toBe('closed');
  });

  it('tells the listener of every change of state', async () => {
    const changes: BreakerState[] = [];
    const { policy, clock } = policyWith({ onStateChange: (state) => changes.push(state) });
    await openBreaker(policy);
    clock.advance(30_000);
    await policy.execute(script('ok').attempt);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });
});
