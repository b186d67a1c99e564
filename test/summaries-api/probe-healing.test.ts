import { announceNews } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, llmEnv, startSummaryApp, summaryOnceReady } from './support.ts';

const COOLDOWN_MS = 500;

describe('a summary breaker opened by an outage is probed on a timer (PGlite, in-process jobs, a fake LLM server)', () => {
  let llm: FakeLlmServer;
  let app: TestApp;
  const team = 'nhl-wpg';

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    app = await startSummaryApp({
      env: llmEnv(llm.url, {
        LLM_TIMEOUT_MS: '400',
        LLM_BREAKER_THRESHOLD: '2',
        LLM_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
        SUMMARY_DEBOUNCE_MS: '200',
      }),
      resilience: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await llm.close();
  });

  it('keeps the breaker open through 5xx, 429, hangs and dropped connections, then closes it and regenerates the stale summary with no request', async () => {
    const { prisma, events, queue, summaries } = app.running.services;
    await addArticles(prisma, team, stories(3, 'wpg'));
    await summaryOnceReady(app, team, 'user_probe', 'SHORT');

    // The provider goes away; news arrives and its regeneration fails for good.
    llm.setDefault({ kind: 'status', status: 503 });
    const [late] = await addArticles(prisma, team, stories(1, 'wpg-late'));
    if (late === undefined) throw new Error('no article stored');
    await announceNews({ prisma, events }, () => Promise.resolve({ [team]: [late] }));
    await eventually(
      async () => (await queue.counts()).summary?.failed ?? 0,
      (failed) => failed >= 1,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(summaries.health().breaker).not.toBe('closed');

    // Every failure mode keeps it open: each probe is one request, one cool-down apart.
    for (const behaviour of [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'hang' },
      { kind: 'drop' },
    ] as const) {
      llm.setDefault(behaviour);
      const before = llm.calls;
      await llm.waitForCalls(before + 1, COOLDOWN_MS * 6);
      expect(summaries.health().breaker, behaviour.kind).not.toBe('closed');
    }

    llm.setDefault({ kind: 'grounded' });
    const recovered = performance.now();
    const healed = await eventually(
      () => prisma.summary.findFirst({ where: { teamId: team, length: 'SHORT' }, orderBy: { generatedAt: 'desc' } }),
      (summary) => summary?.articleIds.includes(late) === true,
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(healed?.articleIds).toContain(late);
    expect(summaries.health().breaker).toBe('closed');
    console.log(
      `timed probe: stale summary regenerated ${String(Math.round(performance.now() - recovered))} ms after the provider answered again, no request made`,
    );
  }, 90_000);
});
