import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeLlmServer, type FakeLlmServer, type LlmBehaviour } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getSummary, llmEnv, ready, startSummaryApp, summaryOnceReady } from './support.ts';

const readySchema = z.object({
  checks: z.object({
    summarizer: z.object({ status: z.string(), breaker: z.enum(['closed', 'open', 'half-open']), servingStale: z.boolean() }),
  }),
});

const outages: { label: string; behaviour: LlmBehaviour }[] = [
  { label: 'answers 500', behaviour: { kind: 'status', status: 500 } },
  { label: 'hangs', behaviour: { kind: 'hang' } },
];

for (const outage of outages) {
  describe.skipIf(!databaseAvailable('postgres'))(`summaries while the provider ${outage.label}`, () => {
    let llm: FakeLlmServer;
    let app: TestApp;
    beforeEach(async () => {
      llm = await startFakeLlmServer();
      app = await startSummaryApp({
        database: 'postgres',
        // Two failed requests open the breaker; it lets a probe through after 1.5 s (the default
        // 30 s would outlast the recovery this suite waits for).
        env: llmEnv(llm.url, { LLM_TIMEOUT_MS: '1000', LLM_BREAKER_THRESHOLD: '2', LLM_BREAKER_COOLDOWN_MS: '1500' }),
        resilience: { initialDelayMs: 10, maxDelayMs: 50 },
      });
    });
    afterEach(async () => {
      await app.close();
      await llm.close();
    });

    async function breaker(): Promise<z.infer<typeof readySchema>['checks']['summarizer']> {
      const response = await app.fetch('/readyz');
      return readySchema.parse(await response.json()).checks.summarizer;
    }

    async function breakerGauge(state: string): Promise<number | undefined> {
      const text = await (await app.fetch('/metrics')).text();
      const line = text.split('\n').find((row) => row.startsWith(`pressbox_summarizer_breaker{provider="openai",state="${state}"}`));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    }

    it('serves the last good summary as stale without waiting, opens the breaker, and replaces it once the provider recovers', async () => {
      const { prisma } = app.running.services;
      await addArticles(prisma, 'epl-ars', stories(3, 'ars'));
      const good = await summaryOnceReady(app, 'epl-ars', 'user_down');
      expect(good).toMatchObject({ provider: 'openai', stale: false });
      expect(await breaker()).toMatchObject({ breaker: 'closed', servingStale: false });

      const [newer] = await addArticles(prisma, 'epl-ars', [
        { title: 'Arsenal sign a new goalkeeper', summary: 'The keeper joins on a four-year contract.', publishedAt: new Date() },
      ]);
      llm.setDefault(outage.behaviour);
      const started = performance.now();
      const { status, body } = await getSummary(app, 'epl-ars', 'user_down');
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(status).toBe(200);
      expect(ready(body)).toEqual({ ...good, stale: true });

      await eventually(breaker, (state) => state.breaker === 'open', { timeoutMs: 10_000 });
      expect(await breaker()).toMatchObject({ status: 'ok', servingStale: true });
      expect(await breakerGauge('open')).toBe(1);
      expect(await breakerGauge('closed')).toBe(0);

      const whileOpen = performance.now();
      const again = await getSummary(app, 'epl-ars', 'user_down');
      expect(performance.now() - whileOpen).toBeLessThan(1_000);
      expect(ready(again.body)).toEqual({ ...good, stale: true });
      expect(await prisma.summary.count({ where: { teamId: 'epl-ars' } })).toBe(1);

      llm.setDefault({ kind: 'grounded' });
      const fresh = await eventually(
        () => getSummary(app, 'epl-ars', 'user_down'),
        ({ body: answer }) => answer.status === 'ready' && !answer.stale,
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      const summary = ready(fresh.body);
      expect(summary.articleIds).toContain(newer);
      expect(summary.generatedAt).not.toBe(good.generatedAt);
      expect(await breaker()).toMatchObject({ breaker: 'closed', servingStale: false });
      expect(await breakerGauge('closed')).toBe(1);
    });

    it('answers 202 within the wait budget for a team that never had a summary', async () => {
      await addArticles(app.running.services.prisma, 'epl-che', stories(2, 'che'));
      llm.setDefault(outage.behaviour);
      const started = performance.now();
      const { status, body } = await getSummary(app, 'epl-che', 'user_cold_down');
      expect(performance.now() - started).toBeLessThan(SUMMARY_WAIT_MS + 1_000);
      expect(status).toBe(202);
      expect(body).toMatchObject({ status: 'pending', jobId: expect.stringMatching(/^summary\.epl-che\./) as unknown });
    });
  });
}

/** What GET /teams/{teamId}/summary waits for a missing summary before answering 202. */
const SUMMARY_WAIT_MS = 2_500;
