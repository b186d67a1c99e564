import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import {
  adminApi,
  liveClient,
  singleApiSetups,
  startNewsHarness,
  type NewsHarness,
  newsItem,
  receive,
  until,
  type FeedItem,
  type Received,
} from './support.ts';

const base = Date.UTC(2026, 10, 26, 18, 0, 0);
const story = (key: string, minutes: number): FeedItem => ({
  guid: `feed-${key}`,
  title: `Story ${key}`,
  publishedAt: new Date(base + minutes * 60_000),
});
const titles = (received: Received) =>
  received.events.map((event) => (event.data.type === 'news.created' ? event.data.data.title : event.data.type));
const articleIds = (received: Received) => received.events.map((event) => (event.data.type === 'news.created' ? event.data.data.id : ''));

for (const setup of singleApiSetups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`me.onFeed over a real WebSocket, on ${setup.label}`, () => {
    let harness: NewsHarness;
    let app: TestApp;

    beforeAll(async () => {
      harness = await startNewsHarness(setup, 'admin_feed');
      app = harness.app;
    });
    afterAll(async () => {
      await harness.close();
    });

    const ingest: NewsHarness['ingest'] = (...args) => harness.ingest(...args);
    const listening = (teamId: string) => harness.listening(teamId);
    const asUser = (userId: string) => adminApi((path, init) => app.fetch(path, { ...init, as: userId }));

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
