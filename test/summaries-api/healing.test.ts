import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getJob, llmEnv, startSummaryApp } from './support.ts';

/** GET /teams/{teamId}/summary with its status, Retry-After and raw body. */
async function askSummary(app: TestApp, teamId: string, user: string) {
  const response = await app.fetch(`/api/v1/teams/${teamId}/summary?length=SHORT`, { as: user });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('summaries heal on their own after a provider outage (PGlite, in-process jobs, a fake LLM server)', () => {
  let llm: FakeLlmServer;
  let app: TestApp;
  const team = 'nhl-mtl';
  const user = 'user_healing';

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    // Two failed requests open the breaker for 3 s: longer than the job's first retry delay (2 s),
    // so the job's second attempt meets the open breaker and fails without asking the provider.
    app = await startSummaryApp({
      env: llmEnv(llm.url, { LLM_TIMEOUT_MS: '1000', LLM_BREAKER_THRESHOLD: '2', LLM_BREAKER_COOLDOWN_MS: '3000' }),
      resilience: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    await addArticles(app.running.services.prisma, team, stories(3, 'mtl'));
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  it('never points a client at a failed job, answers 503 with Retry-After instead, and regenerates once the provider answers', async () => {
    llm.setDefault({ kind: 'status', status: 500 });
    const first = await askSummary(app, team, user);
    expect(first.status).toBe(202);
    const jobId = String(first.body.jobId);
    await eventually(
      () => getJob(app, jobId, user),
      (job) => job?.state === 'failed',
      { timeoutMs: 20_000, intervalMs: 100 },
    );

    const afterFailure = await askSummary(app, team, user);
    if (afterFailure.status === 202) {
      expect((await getJob(app, String(afterFailure.body.jobId), user))?.state).not.toBe('failed');
    } else {
      expect(afterFailure.status).toBe(503);
      expect(afterFailure.body).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/^The summary could not be made/) as unknown,
      });
      expect(Number(afterFailure.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(afterFailure.retryAfter)).toBeLessThanOrEqual(3);
    }

    llm.setDefault({ kind: 'grounded' });
    const recovered = performance.now();
    const healed = await eventually(
      () => askSummary(app, team, user),
      (answer) => answer.status === 200,
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(healed.body).toMatchObject({ status: 'ready', provider: 'openai', stale: false });
    const healMs = performance.now() - recovered;
    expect(healMs).toBeLessThan(10_000);
    console.log(`summary healing: ready ${String(Math.round(healMs))} ms after the provider answered again, no refresh asked`);
  });
});
