import { createMemoryJobQueue, enqueueDueSources, feedFetchJob, feedFetchJobKey, type JobQueue } from '@pressbox/jobs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { feedFixtures, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import {
  addAndFetch,
  addSource,
  allNews,
  call,
  finishedJob,
  member,
  refresh,
  serveFixture,
  startIngestApp,
  type SourceDto,
} from './support.ts';

const HOUR = 3_600_000;

interface SourcePage {
  items: SourceDto[];
  nextCursor: string | null;
}

/** The id of the fetch job a scan enqueues for a source due at `nextFetchAt`. */
function scanJobId(source: Pick<SourceDto, 'id' | 'nextFetchAt'>): string {
  return `${feedFetchJob.name}.${feedFetchJobKey(source.id, new Date(source.nextFetchAt))}`;
}

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`the sources admin API on ${kind}`, () => {
    let app: TestApp;
    let server: FeedServer;
    const scanQueues: JobQueue[] = [];

    beforeAll(async () => {
      server = await startFeedServer();
      app = await startIngestApp({ database: kind });
    });

    afterEach(async () => {
      await Promise.all(scanQueues.splice(0).map((queue) => queue.close()));
    });

    afterAll(async () => {
      await app.close();
      await server.close();
    });

    /** A queue without workers, to see what a scan of the app's database would enqueue. */
    function scanQueue(): JobQueue {
      const queue = createMemoryJobQueue();
      scanQueues.push(queue);
      return queue;
    }

    it('refuses every sources call to members with 403', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const list = await call(app, '/sources', { as: member });
      const create = await call(app, '/sources', { as: member, method: 'POST', body: { url: feed.url, teamIds: ['nba-bos'] } });
      const exported = await call(app, '/sources/export', { as: member });

      for (const reply of [list, create, exported]) {
        expect(reply.status).toBe(403);
        expect(reply.body).toMatchObject({ code: 'FORBIDDEN' });
      }
      expect(server.count(feed.path)).toBe(0);
    });

    it('gets a source by id and lists sources filtered by status, page by page', async () => {
      const first = await addAndFetch(app, { url: serveFixture(server, feedFixtures.rss2).url, name: 'Alpha wire', teamIds: ['mlb-nyy'] });
      const second = await addAndFetch(app, { url: serveFixture(server, feedFixtures.atom).url, name: 'Beta wire', teamIds: ['mlb-bos'] });
      await call(app, `/sources/${second.source.id}`, { method: 'PATCH', body: { status: 'PAUSED' } });

      const got = await call<SourceDto>(app, `/sources/${first.source.id}`);
      expect(got.body).toMatchObject({ id: first.source.id, name: 'Alpha wire', teamIds: ['mlb-nyy'], status: 'ACTIVE', articleCount: 3 });
      const paused = await call<SourcePage>(app, '/sources?status=PAUSED');
      expect(paused.body.items.map((source) => source.id)).toEqual([second.source.id]);

      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: SourcePage } = await call<SourcePage>(app, `/sources?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
        walked.push(...page.body.items.map((source) => source.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(walked).toEqual(expect.arrayContaining([first.source.id, second.source.id]));
      expect(new Set(walked).size).toBe(walked.length);
      expect((await call(app, '/sources/0190f5a2-0000-7000-8000-000000000000')).status).toBe(404);
    });

    it('renames a source, and its news shows the new name', async () => {
      const { source } = await addAndFetch(app, {
        url: serveFixture(server, feedFixtures.rss2).url,
        name: 'Old name',
        teamIds: ['mlb-lad'],
      });

      const renamed = await call<SourceDto>(app, `/sources/${source.id}`, { method: 'PATCH', body: { name: 'New name' } });

      expect(renamed.body).toMatchObject({ name: 'New name', teamIds: ['mlb-lad'], status: 'ACTIVE' });
      const news = await allNews(app, 'mlb-lad', `&sourceId=${source.id}`);
      expect(news.map((item) => item.source.name)).toEqual(['New name', 'New name', 'New name']);
    });

    it('relinks a source to other teams, and its next entries are tagged with them', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const { source } = await addAndFetch(app, { url: feed.url, teamIds: ['mlb-sea'] });

      const relinked = await call<SourceDto>(app, `/sources/${source.id}`, { method: 'PATCH', body: { teamIds: ['mlb-tex', 'mlb-hou'] } });
      expect(relinked.body.teamIds).toEqual(['mlb-hou', 'mlb-tex']);
      const extra =
        '<item><title>Trade talk heats up</title><link>https://celtics.example.net/trade-talk</link><guid>extra-1</guid></item>';
      server.route(feed.path, {
        kind: 'document',
        body: feed.body.replace('</channel>', `${extra}</channel>`),
        contentType: 'application/rss+xml',
      });
      const job = await finishedJob(app, await refresh(app, source.id));

      expect(job.result).toMatchObject({ status: 'stored', created: 1 });
      const [added] = (await allNews(app, 'mlb-tex', `&sourceId=${source.id}`)).filter((item) => item.title === 'Trade talk heats up');
      expect(added?.teams).toEqual([
        { id: 'mlb-hou', matchedBy: 'SOURCE' },
        { id: 'mlb-tex', matchedBy: 'SOURCE' },
      ]);
      expect((await allNews(app, 'mlb-sea', `&sourceId=${source.id}`)).map((item) => item.title)).not.toContain('Trade talk heats up');
    });

    it('leaves a paused source out of the scan, and makes it due at once when resumed', async () => {
      const { source } = await addAndFetch(app, { url: serveFixture(server, feedFixtures.rss2).url, teamIds: ['mlb-chc'] });
      const paused = await call<SourceDto>(app, `/sources/${source.id}`, { method: 'PATCH', body: { status: 'PAUSED' } });
      expect(paused.body.status).toBe('PAUSED');

      // A scan two hours on, when the source's next fetch (an hour after the first) is long due.
      const later = scanQueue();
      await enqueueDueSources(app.running.services.prisma, later, new Date(Date.now() + 2 * HOUR));
      expect(await later.getJob(scanJobId(paused.body))).toBeUndefined();

      const requestedAt = Date.now();
      const resumed = await call<SourceDto>(app, `/sources/${source.id}`, { method: 'PATCH', body: { status: 'ACTIVE' } });
      expect(resumed.body.status).toBe('ACTIVE');
      expect(Date.parse(resumed.body.nextFetchAt)).toBeGreaterThanOrEqual(requestedAt - 1_000);
      expect(Date.parse(resumed.body.nextFetchAt)).toBeLessThanOrEqual(Date.now());
      const now = scanQueue();
      await enqueueDueSources(app.running.services.prisma, now, new Date());
      expect(await now.getJob(scanJobId(resumed.body))).toMatchObject({ name: 'feed-fetch', state: 'waiting' });
    });

    it('refuses to set a source FAILING by hand, to link unknown teams, or to link nothing', async () => {
      const { source } = await addSource(app, { url: serveFixture(server, feedFixtures.rss2).url, teamIds: ['mlb-mia'] });

      expect((await call(app, `/sources/${source.id}`, { method: 'PATCH', body: { status: 'FAILING' } })).status).toBe(400);
      expect((await call(app, `/sources/${source.id}`, { method: 'PATCH', body: { teamIds: ['mlb-nope'] } })).status).toBe(404);
      expect((await call(app, `/sources/${source.id}`, { method: 'PATCH', body: { teamIds: [] } })).status).toBe(400);
      expect((await call(app, '/sources', { method: 'POST', body: { url: server.url('/nothing-linked.xml') } })).status).toBe(400);
    });

    it('answers 409 for a URL that is already a source', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      await addSource(app, { url: feed.url, teamIds: ['mlb-atl'] });

      const again = await call(app, '/sources', { method: 'POST', body: { url: feed.url, teamIds: ['mlb-nym'] } });

      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'CONFLICT' });
    });

    it('deletes a source: articles another source also carries stay, re-attributed to it; the rest go', async () => {
      const feed = serveFixture(server, feedFixtures.rss2);
      const owner = await addAndFetch(app, { url: feed.url, name: 'Owner', teamIds: ['mlb-sf'] });
      const owned = await allNews(app, 'mlb-sf', `&sourceId=${owner.source.id}`);
      const mailbag = owned.find((item) => item.title.startsWith('Mailbag'));
      const shared = owned.filter((item) => item !== mailbag);
      // A second publisher carries the same two stories (same URLs), but not the mailbag.
      server.route(`${feed.path}/mirror`, {
        kind: 'document',
        body: feed.body.replace(/<item>\s*<title>Mailbag[\s\S]*?<\/item>/, ''),
        contentType: 'application/rss+xml',
      });
      const mirror = await addAndFetch(app, { url: server.url(`${feed.path}/mirror`), name: 'Mirror', teamIds: ['mlb-sd'] });
      expect(mirror.job.result).toMatchObject({ status: 'stored', created: 0 });

      const deleted = await call(app, `/sources/${owner.source.id}`, { method: 'DELETE' });

      expect(deleted).toMatchObject({ status: 200, body: { deleted: true, deletedArticles: 1 } });
      expect((await call(app, `/sources/${owner.source.id}`)).status).toBe(404);
      const kept = await allNews(app, 'mlb-sd', `&sourceId=${mirror.source.id}`);
      expect(kept.map((item) => item.id).sort()).toEqual(shared.map((item) => item.id).sort());
      expect(kept.map((item) => item.source)).toEqual([
        { id: mirror.source.id, name: 'Mirror' },
        { id: mirror.source.id, name: 'Mirror' },
      ]);
      expect((await allNews(app, 'mlb-sf')).map((item) => item.id)).not.toContain(mailbag?.id);
      expect((await call<SourceDto>(app, `/sources/${mirror.source.id}`)).body.articleCount).toBe(2);
    });

    it('refuses an OPML document that declares entities, and one that is not OPML', async () => {
      const hostile = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        '<opml version="2.0"><head><title>&lol2;</title></head><body>',
        `<outline text="x" type="rss" xmlUrl="${server.url('/entity.xml')}" category="/teams/nba-bos"/>`,
        '</body></opml>',
      ].join('\n');

      const entity = await call(app, '/sources/import', { method: 'POST', body: { opml: hostile } });
      const notOpml = await call(app, '/sources/import', { method: 'POST', body: { opml: '<html><body>hello</body></html>' } });

      expect(entity).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
      expect(notOpml).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
      const listed = await call<SourcePage>(app, '/sources?limit=100');
      expect(listed.body.items.map((source) => source.url)).not.toContain(server.url('/entity.xml'));
    });
  });
}

describe.skipIf(!databaseAvailable('postgres'))('moving sources between deployments with OPML', () => {
  let server: FeedServer;
  let from: TestApp;
  let to: TestApp;

  beforeAll(async () => {
    server = await startFeedServer();
    [from, to] = await Promise.all([startIngestApp({ database: 'pglite' }), startIngestApp({ database: 'postgres' })]);
  });

  afterAll(async () => {
    await Promise.all([from.close(), to.close()]);
    await server.close();
  });

  it('exports every source and imports them into a fresh deployment with their teams and league', async () => {
    const teamFeed = await addSource(from, {
      url: serveFixture(server, feedFixtures.rss2).url,
      name: 'Celtics & Knicks <Wire>',
      teamIds: ['nba-nyk', 'nba-bos'],
    });
    const leagueFeed = await addSource(from, { url: serveFixture(server, feedFixtures.leagueWide).url, name: 'NBA Wire', league: 'NBA' });
    const both = await addSource(from, {
      url: serveFixture(server, feedFixtures.atom).url,
      name: 'Gunners',
      league: 'PREMIER_LEAGUE',
      teamIds: ['epl-ars'],
    });

    const exported = await call<{ opml: string; count: number }>(from, '/sources/export');
    expect(exported.status).toBe(200);
    expect(exported.body.count).toBe(3);
    const imported = await call<{ created: { id: string; url: string; jobId: string }[]; skipped: unknown[] }>(to, '/sources/import', {
      method: 'POST',
      body: { opml: exported.body.opml },
    });

    expect(imported.status).toBe(200);
    expect(imported.body.skipped).toEqual([]);
    const shape = (source: SourceDto) => ({ url: source.url, name: source.name, teamIds: source.teamIds, league: source.league });
    const listed = await call<SourcePage>(to, '/sources?limit=100');
    expect(listed.body.items.map(shape).sort(byUrl)).toEqual([teamFeed.source, leagueFeed.source, both.source].map(shape).sort(byUrl));
    // The imported sources are fetched at once, like added ones.
    const jobs = await Promise.all(imported.body.created.map((created) => finishedJob(to, created.jobId)));
    expect(jobs.map((job) => job.result?.status)).toEqual(['stored', 'stored', 'stored']);

    const again = await call<{ created: unknown[]; skipped: { url: string }[] }>(to, '/sources/import', {
      method: 'POST',
      body: { opml: exported.body.opml },
    });
    expect(again.body.created).toEqual([]);
    expect(again.body.skipped.map((skipped) => skipped.url).sort()).toEqual(imported.body.created.map((created) => created.url).sort());
  });
});

describe('feed URLs an admin may not add', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startIngestApp({ database: 'pglite', env: { FEED_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:8080/feed.xml',
    'http://10.0.0.7/feed.xml',
    'http://[::1]/feed.xml',
    'https://feeds.example.com:22/feed.xml',
    'http://user:secret@feeds.example.com/feed.xml',
    'file:///etc/passwd',
    'ftp://feeds.example.com/feed.xml',
  ])('answers 400 for %s and stores nothing', async (url) => {
    const reply = await call<{ code: string }>(app, '/sources', { method: 'POST', body: { url, teamIds: ['nba-bos'] } });

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('BAD_REQUEST');
    expect((await call<SourcePage>(app, '/sources')).body.items).toEqual([]);
  });
});

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}
