import type { DatabaseKind } from '@pressbox/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { adminApi, liveClient, newsItem, receive, rssFeed, until, type FeedItem, type Received } from './support.ts';

const setups: { database: DatabaseKind; redis: boolean; label: string }[] = [
  { database: 'pglite', redis: false, label: 'PGlite and the in-process bus' },
  { database: 'postgres', redis: true, label: 'Postgres and Redis' },
];

const base = Date.UTC(2026, 10, 26, 18, 0, 0);
const story = (key: string, minutes: number): FeedItem => ({
  guid: `feed-${key}`,
  title: `Story ${key}`,
  publishedAt: new Date(base + minutes * 60_000),
});
const titles = (received: Received) =>
  received.events.map((event) => (event.data.type === 'news.created' ? event.data.data.title : event.data.type));
const articleIds = (received: Received) => received.events.map((event) => (event.data.type === 'news.created' ? event.data.data.id : ''));

for (const setup of setups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`me.onFeed over a real WebSocket, on ${setup.label}`, () => {
    let app: TestApp;
    let feeds: FeedServer;
    let admin: ReturnType<typeof adminApi>;

    beforeAll(async () => {
      feeds = await startFeedServer();
      app = await startTestApp({
        database: setup.database,
        redis: setup.redis,
        env: { FEED_ALLOW_PRIVATE_NETWORKS: 'true', PRESSBOX_ADMIN_USER_IDS: 'admin_feed' },
      });
      admin = adminApi((path, init) => app.fetch(path, { ...init, as: 'admin_feed' }));
    });
    afterAll(async () => {
      await app.close();
      await feeds.close();
    });

    const listening = (teamId: string) => app.running.services.events.listenerCount({ teamId });
    const asUser = (userId: string) => adminApi((path, init) => app.fetch(path, { ...init, as: userId }));

    async function ingest(path: string, teamIds: string[], items: FeedItem[], sourceId?: string): Promise<string> {
      feeds.route(path, { kind: 'document', body: rssFeed(`Desk ${path}`, items), contentType: 'application/rss+xml' });
      if (sourceId) {
        await admin.jobDone(await admin.refresh(sourceId));
        return sourceId;
      }
      const created = await admin.addSource(feeds.url(path), teamIds);
      await admin.jobDone(created.jobId);
      return created.sourceId;
    }

    it('delivers news of followed teams only, each article once even when it is about two followed teams', async () => {
      const fan = asUser('fan_feed');
      await fan.follow('nba-bos');
      await fan.follow('nba-lal');
      const client = liveClient({ url: app.url, token: () => app.token('fan_feed') });
      try {
        const feed = receive((handlers) => client.trpc.me.onFeed.subscribe({}, handlers));
        await until(() => feed.started === 1 && listening('nba-bos') === 1 && listening('nba-lal') === 1, 10_000, 'the feed to be live');

        await ingest('/feed/rivals.xml', ['nba-bos', 'nba-lal'], [story('both-1', 0), story('both-2', 1)]);
        await ingest('/feed/mia.xml', ['nba-mia'], [story('mia-1', 2)]);
        const lakers = await ingest('/feed/lal.xml', ['nba-lal'], [story('lal-1', 3)]);
        // A last story proves that nothing else was still on its way.
        await ingest('/feed/lal.xml', ['nba-lal'], [story('lal-1', 3), story('lal-2', 4)], lakers);
        await until(() => titles(feed).includes('Story lal-2'), 10_000, 'the last story');

        expect(titles(feed)).toEqual(['Story both-1', 'Story both-2', 'Story lal-1', 'Story lal-2']);
        expect(new Set(articleIds(feed)).size).toBe(4);
        expect(feed.errors).toEqual([]);
      } finally {
        await client.close();
      }
    });

    it('does not deliver an article again after a resume that falls between its events for two followed teams', async () => {
      const fan = asUser('fan_feed_resume');
      await fan.follow('nhl-bos');
      await fan.follow('nhl-tor');
      const bus = app.running.services.events;
      const first = liveClient({ url: app.url, token: () => app.token('fan_feed_resume') });
      const before = receive((handlers) => first.trpc.me.onFeed.subscribe({}, handlers));
      await until(() => before.started === 1 && listening('nhl-bos') === 1 && listening('nhl-tor') === 1, 10_000, 'the feed to be live');
      // Ingestion announces an article once per team, one team after the other.
      const both = newsItem('art_rivalry', ['nhl-bos', 'nhl-tor']);
      await bus.publish({ type: 'news.created', teamId: 'nhl-bos', data: both });
      await until(() => before.events.length === 1, 10_000, 'the article');
      const lastEventId = before.events[0]?.id ?? '';
      await first.close();
      await until(() => listening('nhl-bos') === 0, 5_000, 'the stream to be released');

      await bus.publish({ type: 'news.created', teamId: 'nhl-tor', data: both });
      await bus.publish({ type: 'news.created', teamId: 'nhl-tor', data: newsItem('art_after', ['nhl-tor']) });

      const second = liveClient({ url: app.url, token: () => app.token('fan_feed_resume') });
      try {
        const after = receive((handlers) => second.trpc.me.onFeed.subscribe({ lastEventId }, handlers));
        await until(() => articleIds(after).includes('art_after'), 10_000, 'the next article');
        expect(articleIds(after)).toEqual(['art_after']);
      } finally {
        await second.close();
      }
    });
  });
}
