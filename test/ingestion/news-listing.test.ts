import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { addAndFetch, admin, call, startIngestApp, type NewsItemDto, type NewsPage } from './support.ts';

interface Entry {
  key: string;
  title: string;
  summary: string;
  publishedAt: string;
}

/** An RSS 2.0 document of these entries, each linking to its own page on `host`. */
function rss(host: string, entries: Entry[]): string {
  const items = entries.map(
    (entry) =>
      `<item><title>${entry.title}</title><link>https://${host}/${entry.key}</link><guid>${entry.key}</guid>` +
      `<pubDate>${new Date(entry.publishedAt).toUTCString()}</pubDate><description>${entry.summary}</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${host}</title><link>https://${host}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

/** Chiefs news, published a day apart; three mention trades, with different weight. */
const chiefs: Entry[] = [
  {
    key: 'c1',
    title: 'Chiefs swing a trade for a star receiver',
    summary: 'The deal lands a deep threat.',
    publishedAt: '2024-04-02T12:00:00Z',
  },
  {
    key: 'c2',
    title: 'Trade deadline: Chiefs trade, then trade again',
    summary: 'Another trade day in Kansas City, the busiest trade week yet.',
    publishedAt: '2024-04-01T12:00:00Z',
  },
  { key: 'c3', title: 'Practice notes from Wednesday', summary: 'Drills, depth and a quiet day.', publishedAt: '2024-04-03T12:00:00Z' },
  { key: 'c4', title: 'Mahomes throws four touchdowns', summary: 'A record afternoon.', publishedAt: '2024-04-04T12:00:00Z' },
  { key: 'c5', title: 'Weather delays practice', summary: 'Storms over Arrowhead.', publishedAt: '2024-04-05T12:00:00Z' },
  { key: 'c6', title: 'Rookie signs his contract', summary: 'No part of any trade, says his agent.', publishedAt: '2024-04-06T12:00:00Z' },
];

/** A well-formed cursor of the newest-first order, which a relevance-ordered list must refuse. */
const newestCursor = Buffer.from(JSON.stringify(['2024-04-02T12:00:00.000Z', '0190f5a2-0000-7000-8000-000000000000'])).toString(
  'base64url',
);

const titleOf = (key: string) => chiefs.find((entry) => entry.key === key)?.title;

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`listing news over the API on ${kind}`, () => {
    let app: TestApp;
    let server: FeedServer;
    let chiefsSourceId: string;
    let otherSourceId: string;

    beforeAll(async () => {
      server = await startFeedServer();
      app = await startIngestApp({ database: kind });
      server.route('/chiefs.xml', { kind: 'document', body: rss('chiefs.example.org', chiefs), contentType: 'application/rss+xml' });
      server.route('/arrowhead.xml', {
        kind: 'document',
        body: rss('arrowhead.example.org', [
          { key: 'a1', title: 'Arrowhead renovation plans', summary: 'New seats.', publishedAt: '2024-04-03T18:00:00Z' },
        ]),
        contentType: 'application/rss+xml',
      });
      server.route('/league.xml', {
        kind: 'document',
        body: rss('nfl-wire.example.org', [
          { key: 'l1', title: 'Chiefs edge the Bills in a thriller', summary: 'Kansas City held on.', publishedAt: '2024-04-07T12:00:00Z' },
          { key: 'l2', title: 'Bills sign a kicker', summary: 'Buffalo adds depth.', publishedAt: '2024-04-06T18:00:00Z' },
          { key: 'l3', title: 'Cowboys open camp', summary: 'Dallas gets going.', publishedAt: '2024-04-05T18:00:00Z' },
        ]),
        contentType: 'application/rss+xml',
      });
      server.route('/rumors.xml', {
        kind: 'document',
        body: rss(
          'rumors.example.org',
          [1, 2, 3, 4, 5].map((day) => ({
            key: `r${String(day)}`,
            title: 'Trade rumor roundup',
            summary: 'Rumors from around the league.',
            publishedAt: `2024-04-0${String(day)}T08:00:00Z`,
          })),
        ),
        contentType: 'application/rss+xml',
      });
      chiefsSourceId = (await addAndFetch(app, { url: server.url('/chiefs.xml'), name: 'Chiefs Wire', teamIds: ['nfl-kc'] })).source.id;
      otherSourceId = (await addAndFetch(app, { url: server.url('/arrowhead.xml'), name: 'Arrowhead', teamIds: ['nfl-kc'] })).source.id;
      await addAndFetch(app, { url: server.url('/league.xml'), name: 'NFL Wire', league: 'NFL' });
      await addAndFetch(app, { url: server.url('/rumors.xml'), name: 'Rumor Mill', teamIds: ['nfl-den'] });
    });

    afterAll(async () => {
      await app.close();
      await server.close();
    });

    async function titles(path: string): Promise<(string | undefined)[]> {
      const reply = await call<NewsPage>(app, path);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.items.map((item) => item.title);
    }

    it('lists newest first by default and oldest first on request', async () => {
      const newest = await titles(`/teams/nfl-kc/news?sourceId=${chiefsSourceId}`);
      expect(newest).toEqual(['c6', 'c5', 'c4', 'c3', 'c1', 'c2'].map(titleOf));
      expect(await titles(`/teams/nfl-kc/news?sourceId=${chiefsSourceId}&sort=oldest`)).toEqual([...newest].reverse());
    });

    it('keeps news published at or after since and before until', async () => {
      const window = await titles(`/teams/nfl-kc/news?sourceId=${chiefsSourceId}&since=2024-04-03T12:00:00Z&until=2024-04-05T12:00:00Z`);
      expect(window).toEqual(['c4', 'c3'].map(titleOf));
    });

    it('keeps only the news a given source carries', async () => {
      expect(await titles(`/teams/nfl-kc/news?sourceId=${otherSourceId}`)).toEqual(['Arrowhead renovation plans']);
      const everything = await titles('/teams/nfl-kc/news?limit=100');
      expect(everything).toHaveLength(chiefs.length + 1 + 1);
      expect(everything).toContain('Chiefs edge the Bills in a thriller');
    });

    it('searches titles and summaries, and sort=relevance puts the better matches first', async () => {
      const q = `&q=trade&sourceId=${chiefsSourceId}`;
      expect(await titles(`/teams/nfl-kc/news?${q}`)).toEqual(['c6', 'c1', 'c2'].map(titleOf));
      expect(await titles(`/teams/nfl-kc/news?sort=relevance${q}`)).toEqual(['c2', 'c1', 'c6'].map(titleOf));
      expect(await titles(`/teams/nfl-kc/news?q=${encodeURIComponent('"four touchdowns"')}`)).toEqual([titleOf('c4')]);
      expect(await titles(`/teams/nfl-kc/news?q=${encodeURIComponent('trade -deadline')}&sourceId=${chiefsSourceId}`)).toEqual(
        ['c6', 'c1'].map(titleOf),
      );
    });

    it('walks relevance-ordered results page by page without losing or repeating any', async () => {
      const seen: NewsItemDto[] = [];
      let cursor: string | null = null;
      do {
        const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page: { status: number; body: NewsPage } = await call<NewsPage>(
          app,
          `/teams/nfl-kc/news?q=trade&sort=relevance&limit=1&sourceId=${chiefsSourceId}${suffix}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor !== null && seen.length < 10);
      expect(seen.map((item) => item.title)).toEqual(['c2', 'c1', 'c6'].map(titleOf));
    });

    it('walks equally relevant results by date, page by page, without losing or repeating any', async () => {
      const seen: NewsItemDto[] = [];
      let cursor: string | null = null;
      do {
        const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page: { status: number; body: NewsPage } = await call<NewsPage>(
          app,
          `/teams/nfl-den/news?q=rumor&sort=relevance&limit=2${suffix}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor !== null && seen.length < 10);
      expect(seen.map((item) => item.publishedAt.slice(0, 10))).toEqual([
        '2024-04-05',
        '2024-04-04',
        '2024-04-03',
        '2024-04-02',
        '2024-04-01',
      ]);
    });

    it('answers the same page over tRPC as over REST', async () => {
      const rest = await call<NewsPage>(app, '/teams/nfl-kc/news?q=trade&sort=relevance&limit=2');
      const trpc = await app.trpc(admin).teams.news.query({ teamId: 'nfl-kc', q: 'trade', sort: 'relevance', limit: 2 });
      expect(trpc).toEqual(rest.body);
    });

    it.each([
      ['sort=relevance without q', '/teams/nfl-kc/news?sort=relevance', 400],
      ['a cursor it did not issue', '/teams/nfl-kc/news?cursor=bm90LWEtY3Vyc29y', 400],
      ['a cursor of another sort order', `/teams/nfl-kc/news?sort=relevance&q=trade&cursor=${newestCursor}`, 400],
      ['a source id that is not one', '/teams/nfl-kc/news?sourceId=not-a-uuid', 400],
      ['an unknown team', '/teams/nfl-nope/news', 404],
    ])('answers %s with %i', async (_label, path, status) => {
      const reply = await call<{ code: string; message: string }>(app, path);
      expect(reply.status).toBe(status);
      expect(reply.body.code).toBe(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
    });

    it('feeds a user the news of the teams they follow, each article once', async () => {
      const fan = `user_fan_${kind}`;
      for (const teamId of ['nfl-kc', 'nfl-buf'])
        expect((await call(app, `/me/follows/${teamId}`, { method: 'PUT', as: fan })).status).toBe(200);

      const feed = await call<NewsPage>(app, '/me/feed?limit=100', { as: fan });

      const feedTitles = feed.body.items.map((item) => item.title);
      expect(feedTitles.filter((title) => title === 'Chiefs edge the Bills in a thriller')).toHaveLength(1);
      expect(feed.body.items.find((item) => item.title === 'Chiefs edge the Bills in a thriller')?.teams).toEqual([
        { id: 'nfl-buf', matchedBy: 'ALIAS' },
        { id: 'nfl-kc', matchedBy: 'ALIAS' },
      ]);
      expect(feedTitles).toContain('Bills sign a kicker');
      expect(feedTitles).toContain(titleOf('c1'));
      expect(feedTitles).not.toContain('Cowboys open camp');
      expect(feedTitles).toHaveLength(chiefs.length + 1 + 2);
      expect(new Set(feed.body.items.map((item) => item.id)).size).toBe(feed.body.items.length);
      const times = feed.body.items.map((item) => Date.parse(item.publishedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: NewsPage } = await call<NewsPage>(app, `/me/feed?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`, {
          as: fan,
        });
        paged.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(feed.body.items.map((item) => item.id));
    });

    it('feeds nothing to a user who follows no team', async () => {
      const feed = await call<NewsPage>(app, '/me/feed', { as: `user_loner_${kind}` });
      expect(feed).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
    });
  });
}
