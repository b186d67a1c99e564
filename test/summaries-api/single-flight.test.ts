import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../fakes/llm-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getSummary, llmEnv, ready, startSummaryApp, summaryOnceReady } from './support.ts';

const setups = [
  { label: 'the in-process job layer', redis: false, available: () => databaseAvailable('postgres') },
  { label: 'BullMQ on Redis', redis: true, available: () => databaseAvailable('postgres') && redisAvailable() },
];

for (const setup of setups) {
  describe.skipIf(!setup.available())(`single flight of cold summaries with ${setup.label}`, () => {
    let llm: FakeLlmServer;
    let app: TestApp;
    beforeAll(async () => {
      llm = await startFakeLlmServer();
      app = await startSummaryApp({ database: 'postgres', redis: setup.redis, env: llmEnv(llm.url, { RATE_LIMIT_USER_PER_MIN: '0' }) });
    });
    afterAll(async () => {
      await app.close();
      await llm.close();
    });

    it('makes exactly one provider call for 50 concurrent requests of a cold summary', async () => {
      await addArticles(app.running.services.prisma, 'nfl-kc', stories(5, 'kc'));
      llm.setDefault({ kind: 'grounded', latencyMs: 300 });
      const before = llm.calls;
      const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => getSummary(app, 'nfl-kc', `user_${String(index % 10)}`)));
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 200));
      const summaries = answers.map((answer) => ready(answer.body));
      expect(new Set(summaries.map((summary) => JSON.stringify(summary))).size).toBe(1);
      expect(summaries[0]).toMatchObject({ provider: 'openai', stale: false });
      expect(llm.calls - before).toBe(1);
      expect(await app.running.services.prisma.summary.count({ where: { teamId: 'nfl-kc' } })).toBe(1);
    });

    it('makes one more provider call, not 50, when new news makes the next burst cold again', async () => {
      const { prisma } = app.running.services;
      await addArticles(prisma, 'nfl-buf', stories(3, 'buf'));
      llm.setDefault({ kind: 'grounded' });
      await summaryOnceReady(app, 'nfl-buf', 'user_warm');
      await addArticles(prisma, 'nfl-buf', stories(2, 'buf2'));
      llm.setDefault({ kind: 'grounded', latencyMs: 300 });
      const before = llm.calls;
      const answers = await Promise.all(Array.from({ length: 50 }, () => getSummary(app, 'nfl-buf', 'user_burst')));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(answers.filter((answer) => ready(answer.body).stale).length).toBeGreaterThan(0);
      await eventually(
        () => getSummary(app, 'nfl-buf', 'user_burst'),
        ({ body }) => !ready(body).stale,
      );
      expect(llm.calls - before).toBe(1);
    });
  });
}
