import { announceNews, type AnnounceDeps } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getSummary, llmEnv, ready, startSummaryApp, summaryOnceReady } from './support.ts';

const DEBOUNCE_MS = 1_500;

const setups = [
  { label: 'the in-process job layer', redis: false, available: () => databaseAvailable('postgres') },
  { label: 'BullMQ on Redis', redis: true, available: () => databaseAvailable('postgres') && redisAvailable() },
];

/**
 * Regeneration windows are fixed slices of SUMMARY_DEBOUNCE_MS, so a burst is one window's
 * when it starts early in a slice (a burst straddling two slices makes two jobs).
 */
async function startOfWindow(): Promise<number> {
  return eventually(
    () => Date.now(),
    (now) => now % DEBOUNCE_MS < 150,
    { timeoutMs: DEBOUNCE_MS * 2, intervalMs: 5 },
  );
}

for (const setup of setups) {
  describe.skipIf(!setup.available())(`debounced regeneration after news with ${setup.label}`, () => {
    let llm: FakeLlmServer;
    let app: TestApp;
    let deps: AnnounceDeps;
    beforeAll(async () => {
      llm = await startFakeLlmServer();
      app = await startSummaryApp({
        database: 'postgres',
        redis: setup.redis,
        env: llmEnv(llm.url, { SUMMARY_DEBOUNCE_MS: String(DEBOUNCE_MS) }),
      });
      const { prisma, events } = app.running.services;
      deps = { prisma, events };
    });
    afterAll(async () => {
      await app.close();
      await llm.close();
    });

    it('regenerates an existing summary once for a burst of news, at the end of the window, then serves it fresh', async () => {
      const { prisma, queue } = app.running.services;
      await addArticles(prisma, 'mlb-nyy', stories(3, 'nyy'));
      const first = await summaryOnceReady(app, 'mlb-nyy', 'user_news');
      const callsAfterFirst = llm.calls;

      const now = Date.now();
      const fresh = await addArticles(
        prisma,
        'mlb-nyy',
        stories(3, 'burst').map((story, index) => ({ ...story, publishedAt: new Date(now + index) })),
      );
      const burstStart = await startOfWindow();
      for (const id of fresh) await announceNews(deps, () => Promise.resolve({ 'mlb-nyy': [id] }));
      expect(Math.floor(Date.now() / DEBOUNCE_MS)).toBe(Math.floor(burstStart / DEBOUNCE_MS));

      const regeneration = `summary.mlb-nyy.MEDIUM.after-news.${String(Math.floor(burstStart / DEBOUNCE_MS))}`;
      expect(await queue.getJob(regeneration)).toMatchObject({ state: 'delayed' });
      expect((await queue.counts()).summary).toMatchObject({ delayed: 1, waiting: 0 });
      expect(llm.calls).toBe(callsAfterFirst);

      await eventually(
        () => queue.getJob(regeneration),
        (job) => job?.state === 'completed',
        { timeoutMs: DEBOUNCE_MS * 5 },
      );
      expect(llm.calls - callsAfterFirst).toBe(1);
      expect((await queue.counts()).summary).toMatchObject({ delayed: 0, waiting: 0, active: 0 });

      const { status, body } = await getSummary(app, 'mlb-nyy', 'user_news');
      expect(status).toBe(200);
      const summary = ready(body);
      expect(summary.stale).toBe(false);
      expect(summary.generatedAt).not.toBe(first.generatedAt);
      for (const id of fresh) expect(summary.articleIds).toContain(id);
      expect(llm.calls - callsAfterFirst).toBe(1);
    });

    it('schedules nothing for a team that has no summary yet', async () => {
      const { prisma, queue } = app.running.services;
      const [id] = await addArticles(prisma, 'mlb-bos', stories(1, 'bos'));
      if (id === undefined) throw new Error('no article stored');
      const delayedBefore = (await queue.counts()).summary?.delayed ?? 0;
      await announceNews(deps, () => Promise.resolve({ 'mlb-bos': [id] }));
      expect((await queue.counts()).summary?.delayed ?? 0).toBe(delayedBefore);
      expect(await prisma.summary.count({ where: { teamId: 'mlb-bos' } })).toBe(0);
    });
  });
}
