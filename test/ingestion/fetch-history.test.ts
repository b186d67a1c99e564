import type { DatabaseKind } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedFixtures, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { addAndFetch, call, finishedJob, member, refresh, serveFixture, startIngestApp } from './support.ts';

interface FetchAttempt {
  id: string;
  startedAt: string;
  durationMs: number;
  outcome: 'STORED' | 'NOT_MODIFIED' | 'FAILED' | 'SKIPPED';
  httpStatus: number | null;
  bytes: number | null;
  created: number;
  updated: number;
  unchanged: number;
  linked: number;
  newsByTeam: Record<string, number>;
  error: string | null;
  jobId: string | null;
  nextFetchAt: string | null;
}

const kinds: DatabaseKind[] = ['pglite', 'postgres'];

for (const kind of kinds) {
  describe.skipIf(!databaseAvailable(kind))(`why a feed did or did not update, on ${kind}`, () => {
    let app: TestApp;
    let server: FeedServer;

    beforeAll(async () => {
      server = await startFeedServer();
      app = await startIngestApp({ database: kind, redis: false });
    });

    afterAll(async () => {
      await app.close();
      await server.close();
    });

    const history = async (sourceId: string, query = '') =>
      (await call<{ items: FetchAttempt[] }>(app, `/sources/${sourceId}/fetches${query}`)).body.items;

    it('records every fetch attempt with its status, size, counts per team, outcome and job, newest first', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source, job } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-bos', 'nba-nyk'] });
      await finishedJob(app, await refresh(app, source.id));

      const [second, first] = await history(source.id);

      expect(first).toMatchObject({
        outcome: 'STORED',
        httpStatus: 200,
        bytes: Buffer.byteLength(feed.body),
        created: 3,
        updated: 0,
        unchanged: 0,
        linked: 0,
        newsByTeam: { 'nba-bos': 3, 'nba-nyk': 3 },
        error: null,
        jobId: job.id,
      });
      expect(first?.durationMs).toBeGreaterThanOrEqual(0);
      expect(second).toMatchObject({ outcome: 'NOT_MODIFIED', httpStatus: 304, created: 0, newsByTeam: {}, error: null });
      expect(Date.parse(second?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first?.startedAt ?? ''));
    });

    it('says what went wrong when the feed fails, with the status it answered', async () => {
      const path = `/t/failing-${kind}/feed.xml`;
      server.route(path, { kind: 'status', status: 503, headers: { 'retry-after': '120' } });
      const { source } = await addAndFetch(app, { url: server.url(path), teamIds: ['nba-bos'] });

      const [attempt] = await history(source.id);

      expect(attempt).toMatchObject({ outcome: 'FAILED', httpStatus: 503, created: 0 });
      expect(attempt?.error).toMatch(/^HTTP error: /);
      expect(attempt?.nextFetchAt).not.toBeNull();
    });

    it('keeps the newest 50 attempts and pages them with limit', async () => {
      const feed = serveFixture(server, feedFixtures.atom);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-lal'] });
      for (let round = 0; round < 52; round++) await finishedJob(app, await refresh(app, source.id));

      const all = await history(source.id, '?limit=50');
      const three = await history(source.id, '?limit=3');

      expect(all).toHaveLength(50);
      expect(all.every((attempt) => attempt.outcome === 'NOT_MODIFIED')).toBe(true);
      expect(three.map((attempt) => attempt.id)).toEqual(all.slice(0, 3).map((attempt) => attempt.id));
    });

    it('is for admins only, and answers 404 for an unknown source', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-mia'] });

      expect((await call(app, `/sources/${source.id}/fetches`, { as: member })).status).toBe(403);
      expect((await call(app, '/sources/01900000-0000-7000-8000-000000000000/fetches')).status).toBe(404);
    });

    it('shows members on the dashboard whether the team’s feeds are healthy, without URLs or errors', async () => {
      const path = `/t/dash-failing-${kind}/feed.xml`;
      server.route(path, { kind: 'status', status: 500 });
      const healthy = await addAndFetch(app, {
        url: serveFixture(server, feedFixtures.rss2).url,
        name: 'Healthy feed',
        teamIds: ['nba-chi'],
      });
      const broken = await addAndFetch(app, { url: server.url(path), name: 'Broken feed', teamIds: ['nba-chi'] });

      const dashboard = await call<{ sources: { id: string; name: string; status: string; lastSuccessAt: string | null }[] }>(
        app,
        '/teams/nba-chi/dashboard',
        { as: member },
      );

      expect(dashboard.status).toBe(200);
      expect(dashboard.body.sources).toEqual([
        { id: broken.source.id, name: 'Broken feed', status: 'FAILING', lastSuccessAt: null },
        { id: healthy.source.id, name: 'Healthy feed', status: 'ACTIVE', lastSuccessAt: expect.any(String) as unknown },
      ]);
      expect(JSON.stringify(dashboard.body.sources)).not.toMatch(/http|error/i);
    });

    it('documents the result of a feed fetch job with its own schema', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { job } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-phi'] });

      expect(job).toMatchObject({ name: 'feed-fetch', state: 'completed', result: { status: 'stored', created: 3, updated: 0 } });
    });
  });
}
