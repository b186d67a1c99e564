import { createOpenAI } from '@ai-sdk/openai';
import {
  APICallError,
  generateText,
  JSONParseError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
  TypeValidationError,
} from 'ai';
import { groundAnswer, summaryAnswerSchema } from './answer.ts';
import { InvalidSummaryError, NoArticlesError, ProviderRejectedError, SummarizerError, TransientProviderError } from './errors.ts';
import type { Summarizer, SummaryInput, SummaryResult } from './interface.ts';
import { buildUserPrompt, systemPrompt } from './prompt.ts';
import type { ProviderPolicy } from './resilience.ts';
import { retryAfterMs } from './retry-after.ts';

export interface OpenAiSummarizerOptions {
  /** Includes the version path, like the OpenAI SDK's `baseURL` (`http://127.0.0.1:11434/v1`). */
  baseUrl: string;
  /** Local servers (Ollama, vLLM, llama.cpp) need none. */
  apiKey?: string | undefined;
  model: string;
  /** The policy every request goes through; shared so /readyz sees one breaker. */
  policy: ProviderPolicy;
  temperature?: number;
  maxOutputTokens?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * Summaries from any OpenAI-compatible chat-completions endpoint, as structured output checked
 * against `summaryAnswerSchema` and then grounded (`groundAnswer`). Each request runs under the
 * shared `ProviderPolicy`; the SDK's own retries are off so they do not stack on the policy's.
 *
 * @example
 * const summarizer = createOpenAiSummarizer({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1', policy });
 */
export function createOpenAiSummarizer(options: OpenAiSummarizerOptions): Summarizer {
  const provider = createOpenAI({
    baseURL: options.baseUrl,
    // The SDK reads OPENAI_API_KEY when none is given and throws without one; keyless local servers ignore this.
    apiKey: options.apiKey ?? 'unused',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const model = provider.chat(options.model);

  return {
    async summarize(input: SummaryInput, signal?: AbortSignal): Promise<SummaryResult> {
      if (input.articles.length === 0) throw new NoArticlesError();
      const started = performance.now();
      const articleIds = input.articles.map((article) => article.id);
      const spent = { promptTokens: 0, completionTokens: 0, known: false };

      const { value, attempts } = await options.policy.execute(async ({ signal: attemptSignal, previousRejection }) => {
        try {
          const result = await generateText({
            model,
            system: systemPrompt,
            prompt: buildUserPrompt(input, previousRejection),
            output: Output.object({ schema: summaryAnswerSchema, name: 'team_news_summary' }),
            temperature: options.temperature ?? 0.2,
            maxOutputTokens: options.maxOutputTokens ?? 1_500,
            maxRetries: 0,
            abortSignal: attemptSignal,
            // OpenAI's strict mode refuses schemas with string lengths, and other servers ignore
            // the flag: the schema guides the model, and the SDK plus groundAnswer enforce it.
            providerOptions: { openai: { strictJsonSchema: false } },
          });
          addUsage(spent, result.usage);
          return groundAnswer(result.output, articleIds);
        } catch (error: unknown) {
          if (NoObjectGeneratedError.isInstance(error)) addUsage(spent, error.usage);
          throw toSummarizerError(error);
        }
      }, signal);

      return {
        ...value,
        provider: 'openai',
        model: options.model,
        ...(spent.known ? { usage: { promptTokens: spent.promptTokens, completionTokens: spent.completionTokens } } : {}),
        attempts,
        durationMs: Math.round(performance.now() - started),
      };
    },
  };
}

function addUsage(
  spent: { promptTokens: number; completionTokens: number; known: boolean },
  usage: { inputTokens: number | undefined; outputTokens: number | undefined } | undefined,
): void {
  if (usage?.inputTokens === undefined && usage?.outputTokens === undefined) return;
  spent.known = true;
  spent.promptTokens += usage.inputTokens ?? 0;
  spent.completionTokens += usage.outputTokens ?? 0;
}

/**
 * Maps what the AI SDK throws onto the errors the policy understands: 429/5xx/network ->
 * transient, a reply that is not the answer we asked for -> invalid, any other 4xx -> rejected.
 */
function toSummarizerError(error: unknown): unknown {
  if (error instanceof SummarizerError) return error;
  if (NoObjectGeneratedError.isInstance(error)) {
    if ((error.text ?? '').trim() === '') return new InvalidSummaryError('empty', 'The model answered with nothing', { cause: error });
    if (JSONParseError.isInstance(error.cause))
      return new InvalidSummaryError('malformed', 'The model did not answer with JSON', { cause: error });
    if (TypeValidationError.isInstance(error.cause))
      return new InvalidSummaryError('schema', 'The model answer does not match the summary schema', { cause: error });
    return new InvalidSummaryError('schema', 'The model answer could not be read', { cause: error });
  }
  if (NoOutputGeneratedError.isInstance(error))
    return new InvalidSummaryError('empty', 'The model answered with nothing', { cause: error });
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) {
      return error.isRetryable
        ? new TransientProviderError(undefined, 'The summary provider could not be reached', undefined, { cause: error })
        : new ProviderRejectedError(undefined, 'The summary request failed', { cause: error });
    }
    if (status === 429 || status >= 500) {
      return new TransientProviderError(
        status,
        `The summary provider answered ${String(status)}`,
        retryAfterMs(error.responseHeaders, Date.now()),
        { cause: error },
      );
    }
    if (status >= 200 && status < 300)
      return new InvalidSummaryError('malformed', 'The summary provider sent an unreadable response', { cause: error });
    return new ProviderRejectedError(status, `The summary provider refused the request (${String(status)})`, { cause: error });
  }
  if (isNetworkError(error))
    return new TransientProviderError(undefined, 'The connection to the summary provider failed', undefined, { cause: error });
  return error;
}

const networkErrorCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A socket-level failure anywhere in the cause chain (undici reports a body cut short as `TypeError: terminated`). */
function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code: unknown = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && networkErrorCodes.has(code)) return true;
    current = current.cause;
  }
  return false;
}
