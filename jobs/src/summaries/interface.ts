import type { League, SummaryLength } from '@pressbox/db';

/** One article a summary may be grounded on; `id` is what bullets cite. */
export interface SummaryArticle {
  id: string;
  title: string;
  summary: string;
  publishedAt: Date;
  sourceName: string;
}

/** Everything a provider needs to summarise one team's news at one length. */
export interface SummaryInput {
  team: { id: string; name: string; shortName: string; league: League };
  length: SummaryLength;
  /** Newest first; normally the output of `selectArticles`. Never empty (see `NoArticlesError`). */
  articles: readonly SummaryArticle[];
}

/** One key point and the ids of the input articles that support it (at least one). */
export interface SummaryBullet {
  text: string;
  citations: string[];
}

export type SummaryProviderName = 'openai' | 'extractive';

/** A grounded summary: every citation is the id of an article of the input. */
export interface SummaryResult {
  text: string;
  bullets: SummaryBullet[];
  provider: SummaryProviderName;
  model: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** Provider calls it took, retries and re-asks included (1 for the extractive provider). */
  attempts: number;
  durationMs: number;
}

/**
 * Writes a summary of a team's recent news. Implementations reject with the typed errors of
 * `errors.ts`: `NoArticlesError` for an empty input, `ProviderUnavailableError` when the provider
 * is down (serve the last good summary as stale), `InvalidSummaryError` when the model's answer
 * cannot be trusted, `ProviderRejectedError` for a request the provider refuses; an aborted
 * `signal` rejects with its reason.
 */
export interface Summarizer {
  summarize(input: SummaryInput, signal?: AbortSignal): Promise<SummaryResult>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Counters since start, for /metrics; `state` is what /readyz reports. */
export interface ProviderStats {
  state: BreakerState;
  /** `summarize` calls that reached the policy. */
  calls: number;
  /** Requests sent to the provider. */
  attempts: number;
  /** Attempts that failed, for any reason. */
  failures: number;
  /** Attempts repeated after a transient error. */
  retries: number;
  /** Attempts repeated because the answer was invalid. */
  reasks: number;
  /** Calls refused without a request because the breaker was open. */
  shortCircuits: number;
  /** Times the breaker opened. */
  opened: number;
}

/** What /readyz and /metrics read about the summarizer. */
export interface SummarizerHealth {
  provider: SummaryProviderName;
  model: string;
  breaker: BreakerState;
  /** False while the breaker is open: summaries are being served stale. */
  ready: boolean;
  /** While the breaker is open: milliseconds until it lets the next attempt through. */
  retryAfterMs?: number | undefined;
  stats: ProviderStats;
}
