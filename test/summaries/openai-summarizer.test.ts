import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSummarizer, InvalidSummaryError, NoArticlesError, ProviderRejectedError, type SummarizerService } from '@pressbox/jobs';
import { startFakeLlmServer, type FakeLlmServer, type LlmBehaviour } from '../fakes/llm-server.ts';
import { celticsInput } from './fixtures.ts';

describe('OpenAI-compatible summarizer against the fake LLM', () => {
  let llm: FakeLlmServer;
  let service: SummarizerService;
  beforeEach(async () => {
    llm = await startFakeLlmServer({ apiKey: 'sk-test' });
    service = createSummarizer({
      provider: 'openai',
      baseUrl: llm.url,
      apiKey: 'sk-test',
      model: 'fake-model',
      timeoutMs: 2_000,
      resilience: { initialDelayMs: 5, maxDelayMs: 20 },
    });
  });
  afterEach(async () => {
    await llm.close();
  });

  const summarize = () => service.summarizer.summarize(celticsInput());
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('returns a grounded summary from one call, with usage and timings', async () => {
    const result = await summarize();
    expect(result).toMatchObject({ provider: 'openai', model: 'fake-model', attempts: 1 });
    expect(result.text).toBe('The latest: Porzingis out two weeks.');
    expect(result.bullets.map((bullet) => bullet.citations)).toEqual([['art-injury'], ['art-game'], ['art-fan']]);
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(llm.calls).toBe(1);
  });

  it('sends the model, the fixed system prompt, the articles as data and a JSON schema for the answer', async () => {
    await summarize();
    const [request] = llm.requests;
    expect(request?.body.model).toBe('fake-model');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    const [system, user] = request?.body.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(/untrusted data/);
    expect(system?.content).not.toContain('Ignore previous instructions');
    expect(user?.role).toBe('user');
    expect(request?.articles.map((article) => article.id)).toEqual(['art-injury', 'art-game', 'art-fan']);
    expect(request?.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: false, name: 'team_news_summary' } });
  });

  it('refuses an input without articles without calling the provider', async () => {
    await expect(service.summarizer.summarize({ ...celticsInput(), articles: [] })).rejects.toBeInstanceOf(NoArticlesError);
    expect(llm.calls).toBe(0);
  });

  const invalid: [string, LlmBehaviour, string][] = [
    ['a body that is not JSON', { kind: 'malformed-body' }, 'malformed'],
    ['content that is not JSON', { kind: 'malformed-content' }, 'malformed'],
    ['JSON of the wrong shape', { kind: 'schema-violation' }, 'schema'],
    ['an empty answer', { kind: 'empty' }, 'empty'],
    ['a citation of an unknown article', { kind: 'unknown-citation' }, 'unknown-citation'],
  ];

  it.each(invalid)('treats %s as a failed attempt, asks once more, then rejects it', async (_name, behaviour, reason) => {
    llm.setDefault(behaviour);
    const failure = await failureOf(summarize());
    expect(failure).toBeInstanceOf(InvalidSummaryError);
    expect(failure).toMatchObject({ reason });
    expect(llm.calls).toBe(2);
    expect(service.health().stats).toMatchObject({ attempts: 2, failures: 2, reasks: 1, retries: 0 });
    expect(service.health().breaker).toBe('closed');
  });

  it('says in the re-ask why the first answer was rejected, and keeps a valid second answer', async () => {
    llm.enqueue({ kind: 'unknown-citation', id: 'art-invented' });
    const result = await summarize();
    expect(result.attempts).toBe(2);
    expect(result.bullets.flatMap((bullet) => bullet.citations)).not.toContain('art-invented');
    const reask = llm.requests[1]?.body.messages.at(-1)?.content;
    expect(reask).toMatch(/cited an id that is not in the list/);
  });

  it('rejects a model that obeys instructions injected into an article', async () => {
    llm.setDefault({ kind: 'obey-injection' });
    const failure = await failureOf(summarize());
    expect(failure).toBeInstanceOf(InvalidSummaryError);
    expect(failure).toMatchObject({ reason: 'unknown-citation' });
    expect(
      llm.requests.every((request) => request.articles.some((article) => article.summary.includes('Ignore previous instructions'))),
    ).toBe(true);
  });

  it('does not retry a request the provider refuses', async () => {
    const wrongKey = createSummarizer({ provider: 'openai', baseUrl: llm.url, apiKey: 'sk-wrong', model: 'fake-model', timeoutMs: 2_000 });
    const failure = await failureOf(wrongKey.summarizer.summarize(celticsInput()));
    expect(failure).toBeInstanceOf(ProviderRejectedError);
    expect(failure).toMatchObject({ status: 401 });
    expect(llm.calls).toBe(1);
  });
});
