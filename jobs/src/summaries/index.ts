import { createExtractiveSummarizer, extractiveModel } from './extractive.ts';
import type { ProviderStats, Summarizer, SummarizerHealth, SummaryInput, SummaryResult } from './interface.ts';
import { createOpenAiSummarizer } from './openai.ts';
import { probeProvider } from './probe.ts';
import { ProviderPolicy, type ResilienceOptions } from './resilience.ts';

export type SummarizerConfig =
  | { provider: 'extractive' }
  | {
      provider: 'openai';
      /** Includes the version path (`http://127.0.0.1:11434/v1`). */
      baseUrl: string;
      apiKey?: string | undefined;
      model: string;
      /** Per-attempt timeout (LLM_TIMEOUT_MS); the deadline of a call defaults to three of them. */
      timeoutMs: number;
      /** Overrides of the retry, backoff and breaker settings (tests shorten the cool-down here). */
      resilience?: Partial<ResilienceOptions>;
      fetch?: typeof globalThis.fetch;
    };

/** The summarizer chosen at start-up and how /readyz and /metrics see it. */
export interface SummarizerService {
  summarizer: Summarizer;
  health(): SummarizerHealth;
  /** Stops background work (the breaker's timed probe). */
  close(): void;
}

/**
 * Builds the summarizer the configuration asks for, once per process: the extractive one (no
 * network, the default) or an OpenAI-compatible one behind one shared resilience policy, so the
 * breaker state in `health()` is the one every summary call sees.
 *
 * @example
 * const { summarizer, health } = createSummarizer(config.llm);
 * health().breaker // 'closed' | 'open' | 'half-open'
 */
export function createSummarizer(config: SummarizerConfig): SummarizerService {
  if (config.provider === 'extractive') return countedExtractive();
  const policy = new ProviderPolicy({
    attemptTimeoutMs: config.timeoutMs,
    deadlineMs: config.timeoutMs * 3,
    probe: (signal) => probeProvider(config, signal),
    ...config.resilience,
  });
  const summarizer = createOpenAiSummarizer({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    model: config.model,
    policy,
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  return {
    summarizer,
    health: () => {
      const stats = policy.stats();
      const retryAfterMs = policy.retryAfterMs();
      return { provider: 'openai', model: config.model, breaker: stats.state, ready: stats.state !== 'open', retryAfterMs, stats };
    },
    close: () => {
      policy.close();
    },
  };
}

/** The extractive summarizer with the same counters as a remote one, so dashboards need no special case. */
function countedExtractive(): SummarizerService {
  const inner = createExtractiveSummarizer();
  const stats: ProviderStats = { state: 'closed', calls: 0, attempts: 0, failures: 0, retries: 0, reasks: 0, shortCircuits: 0, opened: 0 };
  const summarizer: Summarizer = {
    async summarize(input: SummaryInput, signal?: AbortSignal): Promise<SummaryResult> {
      stats.calls++;
      stats.attempts++;
      try {
        return await inner.summarize(input, signal);
      } catch (error: unknown) {
        stats.failures++;
        throw error;
      }
    },
  };
  return {
    summarizer,
    health: () => ({ provider: 'extractive', model: extractiveModel, breaker: 'closed', ready: true, stats: { ...stats } }),
    close: () => undefined,
  };
}

export { groundAnswer, summaryAnswerSchema, type SummaryAnswer } from './answer.ts';
export { CircuitBreaker, type BreakerOptions } from './breaker.ts';
export { probeProvider, type ProbeTarget } from './probe.ts';
export { systemClock, type Clock } from './clock.ts';
export { createExtractiveSummarizer, extractiveModel, summarizeExtractively, type ExtractiveOptions } from './extractive.ts';
export {
  AttemptTimeoutError,
  InvalidSummaryError,
  NoArticlesError,
  ProviderRejectedError,
  ProviderUnavailableError,
  SummarizerError,
  TransientProviderError,
  type InvalidSummaryReason,
  type UnavailableReason,
} from './errors.ts';
export type {
  BreakerState,
  ProviderStats,
  SummarizerHealth,
  Summarizer,
  SummaryArticle,
  SummaryBullet,
  SummaryInput,
  SummaryProviderName,
  SummaryResult,
} from './interface.ts';
export { answerLimits, lengthSettings, type LengthSettings } from './lengths.ts';
export { createOpenAiSummarizer, type OpenAiSummarizerOptions } from './openai.ts';
export { articlesBlock, articlesCloseTag, articlesOpenTag, buildUserPrompt, systemPrompt } from './prompt.ts';
export { defaultResilienceOptions, ProviderPolicy, type AttemptContext, type PolicyResult, type ResilienceOptions } from './resilience.ts';
export { inputVersion, selectArticles, type SelectOptions } from './select.ts';
