import { insertEventRows } from '@pressbox/db';
import { newsEvents, toEventInsert } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getSummary, llmEnv, ready, startSummaryApp, summaryOnceReady } from './support.ts';

const DEBOUNCE_MS = 1_000;

const setups = [
  { label: 'the in-process job layer', redis: false, available: () => true },
  { label: 'BullMQ on Redis', redis: true, available: () => databaseAvailable('postgres') && redisAvailable() },
];

for (const setup of setups) {
  describe.skipIf(!setup.available())(`regeneration from committed news with ${setup.label}`, () => {
    let llm: FakeLlmServer;
    let app: TestApp;
    beforeAll(async () => {
      llm = await startFakeLlmServer();
      app = await startSummaryApp({
        database: setup.redis ? 'postgres' : 'pglite',
        redis: setup.redis,
        env: llmEnv(llm.url, { SUMMARY_DEBOUNCE_MS: String(DEBOUNCE_MS) }),
      });
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await llm.close();
    });

    it('schedules the regeneration of news whose process died right after its commit, before it could enqueue anything', async () => {
      const { prisma, queue } = app.running.services;
      await addArticles(prisma, 'nhl-cgy', stories(3, 'cgy'));
      const first = await summaryOnceReady(app, 'nhl-cgy', 'user_regen');
      const callsAfterFirst = llm.calls;

      // The store of a feed fetch: articles and events in one transaction, and then nothing (no
      // publishCommitted, no enqueue), as when the process is killed just after its COMMIT.
      const [fresh] = await addArticles(prisma, 'nhl-cgy', stories(1, 'cgy-late'));
      if (fresh === undefined) throw new Error('no article stored');
      const committedAt = Date.now();
      await prisma.$transaction(async (tx) => {
        await insertEventRows(tx, (await newsEvents(tx, { 'nhl-cgy': [fresh] })).map(toEventInsert));
      });

      const windows = [
        Math.floor(committedAt / DEBOUNCE_MS),
        Math.floor(committedAt / DEBOUNCE_MS) + 1,
        Math.floor(committedAt / DEBOUNCE_MS) + 2,
      ];
      const scheduled = await eventually(
        async () => {
          for (const window of windows) {
            const job = await queue.getJob(`summary.nhl-cgy.MEDIUM.after-news.${String(window)}`);
            if (job) return job;
          }
          return undefined;
        },
        (job) => job?.state === 'completed',
        { timeoutMs: DEBOUNCE_MS * 8 },
      );
      expect(scheduled?.state).toBe('completed');
      expect(llm.calls - callsAfterFirst).toBe(1);

      const { status, body } = await getSummary(app, 'nhl-cgy', 'user_regen');
      expect(status).toBe(200);
      const summary = ready(body);
      expect(summary.stale).toBe(false);
      expect(summary.generatedAt).not.toBe(first.generatedAt);
      expect(summary.articleIds).toContain(fresh);
    }, 60_000);
  });
}
