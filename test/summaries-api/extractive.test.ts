import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { addArticles, stories } from './fixtures.ts';
import { eventually, getSummary, ready, startSummaryApp, summaryOnceReady } from './support.ts';

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`extractive team summaries over the API on ${kind}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startSummaryApp({ database: kind });
      await addArticles(app.running.services.prisma, 'nba-bos', stories(6, 'bos'));
      await addArticles(app.running.services.prisma, 'nba-lal', stories(4, 'lal'));
    });
    afterAll(async () => {
      await app.close();
    });

    it('answers 200 with status empty for a team without articles', async () => {
      const { status, body } = await getSummary(app, 'nhl-bos', 'user_empty');
      expect(status).toBe(200);
      expect(body).toEqual({
        teamId: 'nhl-bos',
        length: 'MEDIUM',
        status: 'empty',
        text: '',
        bullets: [],
        articleIds: [],
        provider: 'extractive',
        model: 'lexrank-1',
        generatedAt: null,
        stale: false,
      });
    });

    it('answers 200 ready with bullets that cite only the articles it was built from', async () => {
      const { status, body } = await getSummary(app, 'nba-bos', 'user_ready', 'SHORT');
      expect(status).toBe(200);
      const summary = ready(body);
      expect(summary).toMatchObject({ teamId: 'nba-bos', length: 'SHORT', status: 'ready', provider: 'extractive', stale: false });
      expect(summary.text.length).toBeGreaterThan(0);
      expect(summary.bullets.length).toBeGreaterThan(0);
      expect(summary.articleIds.length).toBeGreaterThan(0);
      for (const bullet of summary.bullets) {
        expect(bullet.citations.length).toBeGreaterThan(0);
        for (const id of bullet.citations) expect(summary.articleIds).toContain(id);
      }
      expect(Date.parse(summary.generatedAt ?? '')).not.toBeNaN();
    });

    it('gives the same summary for the same input, also when regenerated from scratch', async () => {
      const first = await summaryOnceReady(app, 'nba-lal', 'user_same');
      const again = ready((await getSummary(app, 'nba-lal', 'user_same')).body);
      expect(again).toEqual(first);
      const { prisma } = app.running.services;
      await prisma.summary.deleteMany({ where: { teamId: 'nba-lal' } });
      const regenerated = ready(
        (
          await eventually(
            () => getSummary(app, 'nba-lal', 'user_same'),
            ({ body }) => body.status !== 'pending',
          )
        ).body,
      );
      expect({ ...regenerated, generatedAt: null }).toEqual({ ...first, generatedAt: null });
    });

    it('answers REST and tRPC with the same summary', async () => {
      const rest = (await getSummary(app, 'nba-bos', 'user_both', 'LONG')).body;
      const trpc = await app.trpc('user_both').teams.summary.query({ teamId: 'nba-bos', length: 'LONG' });
      expect(rest).toMatchObject({ status: 'ready' });
      expect(trpc).toEqual(rest);
    });

    it('answers 404 for an unknown team', async () => {
      const response = await app.fetch('/api/v1/teams/nba-nope/summary', { as: 'user_404' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
      await expect(app.trpc('user_404').teams.summary.query({ teamId: 'nba-nope' })).rejects.toMatchObject({
        data: { code: 'NOT_FOUND' },
      });
    });

    it('answers 400 for an unknown length', async () => {
      const response = await app.fetch('/api/v1/teams/nba-bos/summary?length=HUGE', { as: 'user_400' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; issues?: { path: (string | number)[] }[] };
      expect(body.code).toBe('BAD_REQUEST');
      expect(body.issues?.map((issue) => issue.path.join('.'))).toEqual(['length']);
    });
  });
}
