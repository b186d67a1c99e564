import { loadTeamSummaryInput, summaryJobKey } from '@pressbox/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getJob, getSummary, llmEnv, ready, startSummaryApp } from './support.ts';

describe.skipIf(!databaseAvailable('postgres'))('summaries from an OpenAI-compatible provider over the API', () => {
  let llm: FakeLlmServer;
  let app: TestApp;
  beforeAll(async () => {
    llm = await startFakeLlmServer({ apiKey: 'sk-test' });
    app = await startSummaryApp({ database: 'postgres', env: llmEnv(llm.url) });
  });
  afterAll(async () => {
    await app.close();
    await llm.close();
  });
  beforeEach(() => {
    llm.setDefault({ kind: 'grounded' });
  });

  it('answers a cold request with 200 from the provider when it answers fast, and stores timings and token usage', async () => {
    const { prisma } = app.running.services;
    const ids = await addArticles(prisma, 'nba-mia', stories(4, 'mia'));
    const before = llm.calls;
    const { status, body } = await getSummary(app, 'nba-mia', 'user_cold');
    expect(status).toBe(200);
    const summary = ready(body);
    expect(summary).toMatchObject({ status: 'ready', provider: 'openai', model: 'fake-model', stale: false });
    expect([...summary.articleIds].sort()).toEqual([...ids].sort());
    for (const bullet of summary.bullets) for (const id of bullet.citations) expect(ids).toContain(id);
    expect(llm.calls - before).toBe(1);

    const row = await prisma.summary.findFirstOrThrow({ where: { teamId: 'nba-mia', length: 'MEDIUM' } });
    expect(row).toMatchObject({ provider: 'openai', model: 'fake-model', attempts: 1, text: summary.text });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
    expect(row.promptTokens).toBeGreaterThan(0);
    expect(row.completionTokens).toBeGreaterThan(0);
    expect(row.generatedAt.toISOString()).toBe(summary.generatedAt);
  });

  it('answers 202 with a job id when the provider is slower than the wait budget, and 200 fresh once the job completed', async () => {
    await addArticles(app.running.services.prisma, 'nba-nyk', stories(3, 'nyk'));
    llm.setDefault({ kind: 'grounded', latencyMs: 3_500 });
    const started = performance.now();
    const { status, body } = await getSummary(app, 'nba-nyk', 'user_slow');
    expect(performance.now() - started).toBeLessThan(3_400);
    expect(status).toBe(202);
    if (body.status !== 'pending') throw new Error('expected a pending answer');
    expect(body.jobId).toMatch(/^summary\.nba-nyk\.MEDIUM\./);

    const job = await eventually(
      () => getJob(app, body.jobId, 'user_slow'),
      (info) => info?.state === 'completed' || info?.state === 'failed',
    );
    expect(job).toMatchObject({ id: body.jobId, name: 'summary', state: 'completed', result: { status: 'ready' } });
    const after = await getSummary(app, 'nba-nyk', 'user_slow');
    expect(after.status).toBe(200);
    expect(ready(after.body)).toMatchObject({ provider: 'openai', stale: false });
  });

  it('answers with the summary the job made when newer news changed the input while the request waited', async () => {
    const { prisma, queue } = app.running.services;
    const busy = ['nba-atl', 'nba-chi', 'nba-cle', 'nba-det'];
    for (const team of busy) await addArticles(prisma, team, stories(2, team));
    await addArticles(prisma, 'nba-phi', stories(3, 'phi'));
    // Four slow answers occupy every summary worker slot, so the next job waits in the queue.
    llm.enqueue(...busy.map(() => ({ kind: 'grounded' as const, latencyMs: 1_200 })));
    const callsBefore = llm.calls;
    const occupying = busy.map((team) => getSummary(app, team, 'user_busy'));
    await llm.waitForCalls(callsBefore + busy.length);

    const team = await prisma.team.findUniqueOrThrow({ where: { id: 'nba-phi' } });
    const asked = await loadTeamSummaryInput(prisma, team, 'MEDIUM');
    if (asked.kind !== 'ready') throw new Error('expected articles');
    const pending = getSummary(app, 'nba-phi', 'user_race');
    await eventually(
      () => queue.getJob(`summary.${summaryJobKey('nba-phi', 'MEDIUM', asked.inputVersion)}`),
      (job) => job?.state === 'waiting',
    );
    const [newest] = await addArticles(prisma, 'nba-phi', [
      {
        title: 'Breaking: the point guard signs a five-year extension',
        summary: 'The deal keeps him in Philadelphia through 2030.',
        publishedAt: new Date(),
      },
    ]);

    const { status, body } = await pending;
    expect(status).toBe(200);
    const summary = ready(body);
    expect(summary).toMatchObject({ status: 'ready', stale: false });
    expect(summary.articleIds).toContain(newest);
    for (const answer of await Promise.all(occupying)) expect(answer.status).toBe(200);
  });
});
