import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSummarizer,
  ProviderRejectedError,
  ProviderUnavailableError,
  summarizerSystemClock as systemClock,
  type SummarizerClock as Clock,
  type ResilienceOptions,
  type SummarizerService,
} from '@pressbox/jobs';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import { celticsInput } from './fixtures.ts';

/** Real timers, but a wall clock the test can move forward, so a 30 s cool-down passes at once. */
function skewableClock(): Clock & { advance(ms: number): void } {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
    advance: (ms) => {
      skew += ms;
    },
  };
}

describe('resilience of the OpenAI-compatible summarizer against the fake LLM', () => {
  let llm: FakeLlmServer;
  let clock: ReturnType<typeof skewableClock>;
  beforeEach(async () => {
    llm = await startFakeLlmServer();
    clock = skewableClock();
  });
  afterEach(async () => {
    await llm.close();
  });

  function summarizerWith(resilience: Partial<ResilienceOptions> = {}, timeoutMs = 2_000): SummarizerService {
    return createSummarizer({
      provider: 'openai',
      baseUrl: llm.url,
      model: 'fake-model',
      timeoutMs,
      resilience: { initialDelayMs: 10, maxDelayMs: 50, failureThreshold: 5, halfOpenAfterMs: 30_000, clock, ...resilience },
    });
  }

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('retries a 500 and succeeds on the second call', async () => {
    const service = summarizerWith();
    llm.enqueue({ kind: 'status', status: 500 });
    const result = await service.summarizer.summarize(celticsInput());
    expect(result.attempts).toBe(2);
    expect(llm.calls).toBe(2);
    expect(service.health().stats).toMatchObject({ calls: 1, attempts: 2, failures: 1, retries: 1 });
  });

  it('waits out a 429 with Retry-After: 1, then succeeds', async () => {
    const service = summarizerWith({ retryAfterCapMs: 5_000 });
    llm.enqueue({ kind: 'status', status: 429, retryAfter: '1' });
    const started = performance.now();
    const result = await service.summarizer.summarize(celticsInput());
    const waited = performance.now() - started;
    expect(result.attempts).toBe(2);
    expect(llm.calls).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(990);
    expect(waited).toBeLessThan(2_000);
  });

  it('gives up at once when Retry-After exceeds the cap', async () => {
    const service = summarizerWith({ retryAfterCapMs: 5_000 });
    llm.enqueue({ kind: 'status', status: 429, retryAfter: '120' });
    const failure = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure).toMatchObject({ reason: 'retry-after-too-long', retryAfterMs: 120_000 });
    expect(llm.calls).toBe(1);
  });

  it('does not retry a 400', async () => {
    const service = summarizerWith();
    llm.enqueue({ kind: 'status', status: 400 });
    const failure = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(failure).toBeInstanceOf(ProviderRejectedError);
    expect(failure).toMatchObject({ status: 400 });
    expect(llm.calls).toBe(1);
    expect(service.health().stats.retries).toBe(0);
  });

  it('times out an attempt that hangs and retries it', async () => {
    const service = summarizerWith({}, 300);
    llm.enqueue({ kind: 'hang' });
    const result = await service.summarizer.summarize(celticsInput());
    expect(result.attempts).toBe(2);
    expect(llm.calls).toBe(2);
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
  });

  it('stops when the caller aborts, without retrying or blaming the provider', async () => {
    const service = summarizerWith();
    llm.setDefault({ kind: 'hang' });
    const controller = new AbortController();
    const call = failureOf(service.summarizer.summarize(celticsInput(), controller.signal));
    await llm.waitForCalls(1);
    controller.abort(new Error('worker shutting down'));
    expect(await call).toMatchObject({ message: 'worker shutting down' });
    expect(llm.calls).toBe(1);
    expect(service.health().breaker).toBe('closed');
  });

  it('ends with ProviderUnavailableError once the retries run out', async () => {
    const service = summarizerWith({ maxAttempts: 3, failureThreshold: 10 });
    llm.setDefault({ kind: 'status', status: 503 });
    const failure = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(failure).toMatchObject({ name: 'ProviderUnavailableError', reason: 'retries-exhausted' });
    expect(llm.calls).toBe(3);
  });

  it('retries a dropped connection', async () => {
    const service = summarizerWith();
    llm.enqueue({ kind: 'drop' });
    const result = await service.summarizer.summarize(celticsInput());
    expect(result.attempts).toBe(2);
    expect(llm.calls).toBe(2);
  });

  it('retries when nothing listens at the base URL', async () => {
    const service = summarizerWith({ failureThreshold: 10 });
    await llm.close();
    const failure = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(failure).toMatchObject({ name: 'ProviderUnavailableError', reason: 'retries-exhausted' });
    expect(service.health().stats).toMatchObject({ attempts: 3, retries: 2 });
    llm = await startFakeLlmServer();
  });

  it('opens the breaker after 5 consecutive failures, then fails fast without calling the provider', async () => {
    const service = summarizerWith({ maxAttempts: 1 });
    llm.setDefault({ kind: 'status', status: 500 });
    for (let call = 0; call < 5; call++) await failureOf(service.summarizer.summarize(celticsInput()));
    expect(llm.calls).toBe(5);
    expect(service.health()).toMatchObject({ breaker: 'open', ready: false });

    const failure = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect(failure).toMatchObject({ reason: 'circuit-open' });
    expect(llm.calls).toBe(5);
    expect(service.health().stats).toMatchObject({ shortCircuits: 1, opened: 1 });
  });

  it('lets one probe through after the cool-down and closes when it succeeds', async () => {
    const service = summarizerWith({ maxAttempts: 1 });
    llm.setDefault({ kind: 'status', status: 500 });
    for (let call = 0; call < 5; call++) await failureOf(service.summarizer.summarize(celticsInput()));
    expect(service.health().breaker).toBe('open');

    clock.advance(30_000);
    expect(service.health().breaker).toBe('half-open');
    llm.setDefault({ kind: 'grounded', latencyMs: 100 });
    const probe = service.summarizer.summarize(celticsInput());
    await llm.waitForCalls(6);
    const during = await failureOf(service.summarizer.summarize(celticsInput()));
    expect(during).toMatchObject({ name: 'ProviderUnavailableError', reason: 'circuit-open' });
    await expect(probe).resolves.toMatchObject({ attempts: 1 });
    expect(llm.calls).toBe(6);
    expect(service.health()).toMatchObject({ breaker: 'closed', ready: true });

    await service.summarizer.summarize(celticsInput());
    expect(llm.calls).toBe(7);
  });

  it('opens again when the probe fails', async () => {
    const service = summarizerWith({ maxAttempts: 1 });
    llm.setDefault({ kind: 'status', status: 502 });
    for (let call = 0; call < 5; call++) await failureOf(service.summarizer.summarize(celticsInput()));
    clock.advance(30_000);
    await failureOf(service.summarizer.summarize(celticsInput()));
    expect(llm.calls).toBe(6);
    expect(service.health()).toMatchObject({ breaker: 'open', stats: { opened: 2 } });
    await failureOf(service.summarizer.summarize(celticsInput()));
    expect(llm.calls).toBe(6);
  });
});

describe('extractive summarizer service', () => {
  it('needs no network and reports a closed breaker', async () => {
    const service = createSummarizer({ provider: 'extractive' });
    const result = await service.summarizer.summarize(celticsInput());
    expect(result.provider).toBe('extractive');
    expect(
      result.bullets.every((bullet) => bullet.citations.every((id) => celticsInput().articles.some((article) => article.id === id))),
    ).toBe(true);
    expect(service.health()).toMatchObject({ provider: 'extractive', breaker: 'closed', ready: true, stats: { calls: 1, attempts: 1 } });
  });
});
