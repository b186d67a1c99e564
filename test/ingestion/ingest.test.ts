import type { DatabaseKind } from '@pressbox/db';
import { enqueueDueSources, feedFetchJob, feedFetchJobKey } from '@pressbox/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_LAST_MODIFIED, feedFixtures, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { connectTestRedis, deleteKeys, redisAvailable } from '../support/redis.ts';
import {
  addAndFetch,
  addSource,
  allNews,
  call,
  finishedJob,
  refresh,
  serveFixture,
  startIngestApp,
  type JobDto,
  type SourceDto,
} from './support.ts';

const setups: { label: string; database: DatabaseKind; redis: boolean }[] = [
  { label: 'PGlite with the in-process job runner', database: 'pglite', redis: false },
  { label: 'Postgres with the in-process job runner', database: 'postgres', redis: false },
  { label: 'Postgres with BullMQ on Redis', database: 'postgres', redis: true },
];

for (const setup of setups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`feed ingestion over the API on ${setup.label}`, () => {
    let app: TestApp;
    let server: FeedServer;

    beforeAll(async () => {
      server = await startFeedServer();
      app = await startIngestApp({ database: setup.database, redis: setup.redis });
    });

    afterAll(async () => {
      await app.close();
      await server.close();
      if (setup.redis) {
        const redis = connectTestRedis('ingest-cleanup');
        await deleteKeys(redis, app.redisPrefix);
        await redis.quit();
      }
    });

    it('fetches a source an admin adds and lists its entries in the team news, sanitized, with source and teams', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source, job } = await addAndFetch(app, { url: feed.url, name: 'Celtics Wire', teamIds: ['nba-bos'] });

      expect(job).toMatchObject({ name: 'feed-fetch', state: 'completed', result: { status: 'stored', created: 3, updated: 0 } });
      const news = await allNews(app, 'nba-bos', `&sourceId=${source.id}`);
      // The undated entry is shown under the time it was fetched, so it leads.
      expect(news.map((item) => item.title)).toEqual([
        'Mailbag: your questions on the rotation',
        'Celtics hold off late rally to win fourth straight',
        'Injury report: two starters day-to-day',
      ]);
      for (const item of news) {
        expect(item.source).toEqual({ id: source.id, name: 'Celtics Wire' });
        expect(item.teams).toEqual([{ id: 'nba-bos', matchedBy: 'SOURCE' }]);
      }
      const first = news[1];
      expect(first?.publishedAt).toBe('2024-05-01T02:15:00.000Z');
      expect(first?.author).toBe('Jane Reporter');
      expect(first?.contentHtml).toContain(`<a href="https://celtics.example-${tagOf(feed.path)}.com/box-score/1001"`);
      expect(first?.contentHtml).not.toContain('feedburner');
      expect((await call<SourceDto>(app, `/sources/${source.id}`)).body).toMatchObject({ kind: 'RSS', status: 'ACTIVE', articleCount: 3 });
    });

    it('fetches a new source once even when a scan runs before its first fetch has finished', async () => {
      const feed = serveFixture(server, feedFixtures.rss091);
      server.route(feed.path, { kind: 'document', body: feed.body, contentType: 'application/rss+xml', delayMs: 300 });
      const { source, jobId } = await addSource(app, { url: feed.url, teamIds: ['nba-chi'] });

      await enqueueDueSources(app.running.services.prisma, app.running.services.queue);
      const job = await finishedJob(app, jobId);

      expect(jobId).toBe(`${feedFetchJob.name}.${feedFetchJobKey(source.id, new Date(source.nextFetchAt))}`);
      expect(job.state).toBe('completed');
      expect(server.count(feed.path)).toBe(1);
    });

    it('keeps scripts, event handlers and javascript: links out of the news it serves', async () => {
      const feed = serveFixture(server, feedFixtures.scriptLaden);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-lal'] });

      const [item, ...rest] = await allNews(app, 'nba-lal', `&sourceId=${source.id}`);
      expect(rest).toEqual([]);
      expect(item?.title).toBe('Headline');
      expect(item?.url).toBeNull();
      const markup = `${item?.summary ?? ''}${item?.contentHtml ?? ''}`;
      expect(markup).toContain('ok link');
      expect(markup).not.toMatch(/<script|<iframe|<form|<svg|<object|<style|\son\w+=|javascript:|vbscript:|data:text/i);
    });

    it('polls again with the validators it was given, gets a 304 and stores nothing', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-mia'] });

      const job = await finishedJob(app, await refresh(app, source.id));

      expect(job).toMatchObject({ state: 'completed', result: { status: 'not-modified', created: 0, updated: 0 } });
      const conditional = server.requests(feed.path).at(-1);
      expect(conditional?.headers['if-none-match']).toBe(feed.etag);
      expect(conditional?.headers['if-modified-since']).toBe(FIXTURE_LAST_MODIFIED);
      expect(await allNews(app, 'nba-mia', `&sourceId=${source.id}`)).toHaveLength(3);
      // The unchanged document's <ttl> (60 minutes) still sets the next poll.
      const polled = (await call<SourceDto>(app, `/sources/${source.id}`)).body;
      expect(Date.parse(polled.nextFetchAt) - Date.parse(polled.lastFetchedAt ?? '')).toBe(60 * 60_000);
    });

    it('follows a feed that moved permanently to its new URL, unless another source has that URL', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const oldPath = `${feed.path}.old`;
      server.route(oldPath, { kind: 'redirect', location: feed.path, status: 301 });
      const { source, job } = await addAndFetch(app, { url: server.url(oldPath), teamIds: ['nba-phx'] });

      expect(job.result).toMatchObject({ status: 'stored', created: 3, movedTo: feed.url });
      expect((await call<SourceDto>(app, `/sources/${source.id}`)).body.url).toBe(feed.url);
      const again = await finishedJob(app, await refresh(app, source.id));
      expect(again.result).toMatchObject({ status: 'not-modified' });
      expect(again.result).not.toHaveProperty('movedTo');
      expect(server.count(oldPath)).toBe(1);

      // A second source that reaches the same feed through a permanent redirect keeps its URL.
      const otherPath = `${feed.path}.other`;
      server.route(otherPath, { kind: 'redirect', location: feed.path, status: 308 });
      const other = await addAndFetch(app, { url: server.url(otherPath), teamIds: ['nba-phx'] });
      expect(other.job.result).toMatchObject({ status: 'stored' });
      expect(other.job.result).not.toHaveProperty('movedTo');
      expect((await call<SourceDto>(app, `/sources/${other.source.id}`)).body.url).toBe(server.url(otherPath));
    });

    it('stores each entry once when the same feed is fetched by several jobs at the same time', async () => {
      const feed = serveFixture(server, feedFixtures.atom);
      // Held back, so the first fetch and two explicit refreshes are all in flight together.
      server.route(feed.path, { kind: 'document', body: feed.body, contentType: 'application/atom+xml', delayMs: 300 });
      const { source, jobId } = await addSource(app, { url: feed.url, teamIds: ['epl-ars'] });
      const jobIds = [jobId, ...(await Promise.all([refresh(app, source.id), refresh(app, source.id)]))];

      const jobs = await Promise.all(jobIds.map((id) => finishedJob(app, id)));

      expect(new Set(jobIds).size).toBe(3);
      expect(jobs.map((job) => job.state)).toEqual(['completed', 'completed', 'completed']);
      const news = await allNews(app, 'epl-ars', `&sourceId=${source.id}`);
      expect(news.length).toBeGreaterThan(0);
      expect(new Set(news.map((item) => item.id)).size).toBe(news.length);
      expect(new Set(news.map((item) => item.title)).size).toBe(news.length);
      expect(sum(jobs, (job) => job.result?.created ?? 0)).toBe(news.length);
      expect(server.count(feed.path)).toBeGreaterThanOrEqual(2);
    });

    it('updates an entry the publisher edited in place: same article id, new title', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['nba-den'] });
      const before = await allNews(app, 'nba-den', `&sourceId=${source.id}`);
      const original = before.find((item) => item.title.startsWith('Celtics hold off'));
      expect(original).toBeDefined();

      server.route(feed.path, {
        kind: 'document',
        body: feed.body.replace('Celtics hold off late rally to win fourth straight', 'Celtics survive late rally, win fourth straight'),
        contentType: 'application/rss+xml',
        etag: `"${tagOf(feed.path)}-2"`,
        lastModified: 'Thu, 02 May 2024 10:00:00 GMT',
      });
      const job = await finishedJob(app, await refresh(app, source.id));

      expect(job.result).toMatchObject({ status: 'stored', created: 0, updated: 1 });
      const after = await allNews(app, 'nba-den', `&sourceId=${source.id}`);
      expect(after).toHaveLength(before.length);
      expect(after.find((item) => item.id === original?.id)?.title).toBe('Celtics survive late rally, win fourth straight');
      expect(after.map((item) => item.title)).not.toContain('Celtics hold off late rally to win fourth straight');
    });

    it('tags the entries of a league-wide source with the teams their headlines name, saying how each matched', async () => {
      const feed = serveFixture(server, feedFixtures.leagueWide);
      const { source, job } = await addAndFetch(app, { url: feed.url, name: 'NBA Wire', league: 'NBA' });

      expect(job.result).toMatchObject({ status: 'stored', created: 3 });
      const celtics = await allNews(app, 'nba-bos', `&sourceId=${source.id}`);
      expect(celtics.map((item) => [item.title, item.teams])).toEqual([
        [
          'Boston Celtics beat the Knicks in overtime',
          [
            { id: 'nba-bos', matchedBy: 'NAME' },
            { id: 'nba-nyk', matchedBy: 'ALIAS' },
          ],
        ],
      ]);
      expect((await allNews(app, 'nba-nyk', `&sourceId=${source.id}`)).map((item) => item.title)).toEqual([
        'Boston Celtics beat the Knicks in overtime',
      ]);
      const sixers = await allNews(app, 'nba-phi', `&sourceId=${source.id}`);
      expect(sixers.map((item) => [item.title, item.teams])).toEqual([['Sixers make a trade', [{ id: 'nba-phi', matchedBy: 'ALIAS' }]]]);
      // The third headline names no team: stored, but in no team's news.
      expect((await call<SourceDto>(app, `/sources/${source.id}`)).body.articleCount).toBe(3);
    });
  });
}

function tagOf(path: string): string {
  return path.split('/')[2] ?? '';
}

function sum(jobs: JobDto[], value: (job: JobDto) => number): number {
  return jobs.reduce((total, job) => total + value(job), 0);
}
