import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable, databaseKinds } from '../support/databases.ts';
import { summaryOnceReady } from '../summaries-api/support.ts';
import { addAndFetch, call, startIngestApp, type NewsItemDto, type NewsPage } from './support.ts';

interface Entry {
  key: string;
  title: string;
  summary: string;
  publishedAt: Date;
}

type Telling = { id: string; sourceId: string; sourceName: string; url: string | null; title: string };
type StoryItem = NewsItemDto & { alsoFrom: Telling[] };

function rss(host: string, entries: Entry[]): string {
  const items = entries.map(
    (entry) =>
      `<item><title>${entry.title}</title><link>https://${host}/${entry.key}</link><guid>${entry.key}</guid>` +
      `<pubDate>${entry.publishedAt.toUTCString()}</pubDate><description>${entry.summary}</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${host}</title><link>https://${host}/</link><description>d</description>${items.join('')}</channel></rss>`;
}

const hoursAgo = (hours: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - hours * 3_600_000);
const lead = 'Jayson Tatum scored 34 points and the Boston Celtics held off the New York Knicks 112-104 on Tuesday night.';

/*
 * One game told by three sources: the Celtics' wire first among Boston's sources, a national site
 * later (Boston and New York), and a Knicks blog that published before both but is fetched last.
 */
const celticsWire: Entry[] = [
  { key: 'w1', title: 'Celtics beat Knicks 112-104 behind Tatum’s 34', summary: lead, publishedAt: hoursAgo(5) },
  { key: 'w2', title: 'Brown sits out practice with a sore ankle', summary: 'Jaylen Brown rested on Wednesday.', publishedAt: hoursAgo(2) },
];
const national: Entry[] = [{ key: 'n1', title: 'Tatum pours in 34 as Boston holds off New York', summary: lead, publishedAt: hoursAgo(4) }];
const knicksBlog: Entry[] = [
  { key: 'k1', title: 'Celtics beat Knicks 112-104 behind Tatum’s 34 | Knicks Blog', summary: lead, publishedAt: hoursAgo(6) },
];

for (const kind of databaseKinds) {
  describe.skipIf(!databaseAvailable(kind))(`one story from several sources on ${kind}`, () => {
    let app: TestApp;
    let server: FeedServer;
    const sources: Record<string, string> = {};

    beforeAll(async () => {
      server = await startFeedServer();
      app = await startIngestApp({ database: kind });
      const feeds = [
        { name: 'Celtics Wire', path: '/celtics.xml', host: 'celtics-wire.example.org', entries: celticsWire, teamIds: ['nba-bos'] },
        { name: 'National Hoops', path: '/national.xml', host: 'national.example.org', entries: national, teamIds: ['nba-bos', 'nba-nyk'] },
        { name: 'Knicks Blog', path: '/knicks.xml', host: 'knicks-blog.example.org', entries: knicksBlog, teamIds: ['nba-nyk'] },
      ];
      for (const feed of feeds) {
        server.route(feed.path, { kind: 'document', body: rss(feed.host, feed.entries), contentType: 'application/rss+xml' });
        sources[feed.name] = (await addAndFetch(app, { url: server.url(feed.path), name: feed.name, teamIds: feed.teamIds })).source.id;
      }
    });

    afterAll(async () => {
      await app.close();
      await server.close();
    });

    async function news(path: string): Promise<StoryItem[]> {
      const reply = await call<NewsPage & { items: StoryItem[] }>(app, path);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.items;
    }

    const gameTitles = (items: StoryItem[]) => items.filter((item) => item.summary === lead).map((item) => item.source.name);

    it("lists the story once in a team's news, as its earliest telling there, with the other sources", async () => {
      const items = await news('/teams/nba-bos/news');
      expect(gameTitles(items)).toEqual(['Celtics Wire']);
      const story = items.find((item) => item.summary === lead);
      expect(story?.alsoFrom.map((telling) => telling.sourceName)).toEqual(['Knicks Blog', 'National Hoops']);
      expect(story?.alsoFrom[1]).toMatchObject({
        sourceId: sources['National Hoops'],
        url: 'https://national.example.org/n1',
        title: national[0]?.title,
      });
      expect(items.find((item) => item.summary !== lead)?.alsoFrom).toEqual([]);
    });

    it('shows each team the telling that reached it first', async () => {
      expect(gameTitles(await news('/teams/nba-nyk/news'))).toEqual(['Knicks Blog']);
    });

    it('lists a source’s own telling when the news is filtered by that source', async () => {
      expect(gameTitles(await news(`/teams/nba-bos/news?sourceId=${sources['National Hoops'] ?? ''}`))).toEqual(['National Hoops']);
    });

    it('feeds a fan of both teams the story once, and walks the pages without losing or repeating any', async () => {
      const fan = `user_story_fan_${kind}`;
      for (const teamId of ['nba-bos', 'nba-nyk'])
        expect((await call(app, `/me/follows/${teamId}`, { method: 'PUT', as: fan })).status).toBe(200);
      const reply = await call<NewsPage & { items: StoryItem[] }>(app, '/me/feed?limit=100', { as: fan });
      expect(gameTitles(reply.body.items)).toEqual(['Knicks Blog']);
      expect(reply.body.items).toHaveLength(2);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: NewsPage } = await call<NewsPage>(app, `/me/feed?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`, {
          as: fan,
        });
        paged.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(reply.body.items.map((item) => item.id));
    });

    it('announces the story once per team: later tellings are not news to a team that has it', async () => {
      const events = await app.running.services.prisma.event.findMany({ where: { type: 'news.created' }, orderBy: { id: 'asc' } });
      const told = events
        .map((event) => ({ teamId: event.teamId, title: (event.data as { title?: string }).title ?? '' }))
        .filter((event) => event.title.includes('34'));
      expect(told).toEqual([
        { teamId: 'nba-bos', title: celticsWire[0]?.title },
        { teamId: 'nba-nyk', title: national[0]?.title },
      ]);
    });

    it("counts the story once in the dashboard's news volume", async () => {
      const reply = await call<{ newsVolume: { date: string; count: number }[] }>(app, '/teams/nba-bos/dashboard');
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.newsVolume.reduce((total, day) => total + day.count, 0)).toBe(2);
    });

    it('cites the story once in a summary', async () => {
      const summary = await summaryOnceReady(app, 'nba-bos', `user_story_reader_${kind}`);
      const items = await news(`/teams/nba-bos/news?sourceId=${sources['National Hoops'] ?? ''}`);
      expect(summary.articleIds).toHaveLength(2);
      expect(summary.articleIds).not.toContain(items[0]?.id);
    });
  });
}
