import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import {
  liveClient,
  singleApiSetups,
  startNewsHarness,
  type NewsHarness,
  newsItem,
  receive,
  startProxy,
  until,
  type FeedItem,
  type Received,
} from './support.ts';

const minute = 60_000;
const base = Date.UTC(2026, 10, 26, 12, 0, 0);
const story = (key: string, minutes: number): FeedItem => ({
  guid: `live-${key}`,
  title: `Story ${key}`,
  publishedAt: new Date(base + minutes * minute),
});

const titles = (received: Received) =>
  received.events.map((event) => (event.data.type === 'news.created' ? event.data.data.title : event.data.type));

for (const setup of singleApiSetups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`teams.onNews over a real WebSocket, on ${setup.label}`, () => {
    let harness: NewsHarness;
    let app: TestApp;

    beforeAll(async () => {
      harness = await startNewsHarness(setup, 'admin_live');
      app = harness.app;
    });
    afterAll(async () => {
      await harness.close();
    });

    const ingest: NewsHarness['ingest'] = (...args) => harness.ingest(...args);

    const listening = (teamId: string) => harness.listening(teamId);

    it('delivers news.created with the news item when the team’s feed brings an article', async () => {
      const client = liveClient({ url: app.url, token: () => app.token('fan_first') });
      try {
        const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-bos' }, handlers));
        await until(() => news.started === 1 && listening('nba-bos') === 1, 10_000, 'the subscription to be live');

        const sourceId = await ingest('/live/bos.xml', ['nba-bos'], [story('bos-1', 0)]);

        await until(() => news.events.length === 1, 10_000, 'news.created');
        const [first] = news.events;
        expect(first?.id).toBe(first?.data.id);
        expect(first?.data).toMatchObject({
          type: 'news.created',
          teamId: 'nba-bos',
          data: {
            title: 'Story bos-1',
            url: 'https://news.example.com/live-bos-1',
            publishedAt: new Date(base).toISOString(),
            source: { id: sourceId },
            teams: [{ id: 'nba-bos', matchedBy: 'SOURCE' }],
          },
        });
        // The event carries exactly the item the REST news list serves.
        const page = (await (await app.fetch('/api/v1/teams/nba-bos/news', { as: 'fan_first' })).json()) as { items: unknown[] };
        expect(first?.data.data).toEqual(page.items[0]);
        expect(news.errors).toEqual([]);
      } finally {
        await client.close();
      }
    });

    it('delivers an event committed right after the server acknowledged the subscription (`started` means live)', async () => {
      const client = liveClient({ url: app.url, token: () => app.token('fan_started') });
      try {
        for (let round = 0; round < 10; round++) {
          let published: Promise<unknown> | undefined;
          const news = receive((handlers) =>
            client.trpc.teams.onNews.subscribe(
              { teamId: 'nba-atl' },
              {
                ...handlers,
                onStarted: () => {
                  handlers.onStarted();
                  published = app.running.services.events.publish({
                    type: 'news.created',
                    teamId: 'nba-atl',
                    data: newsItem(`atl-${String(round)}`, ['nba-atl']),
                  });
                },
              },
            ),
          );
          await until(() => published !== undefined, 10_000, 'started');
          await published;
          await until(() => news.events.length === 1, 5_000, `the event of round ${String(round)}`);
          news.stop();
        }
      } finally {
        await client.close();
      }
    });

    it('replays exactly the news missed while away when a client resubscribes with lastEventId', async () => {
      const path = '/live/lal.xml';
      const first = liveClient({ url: app.url, token: () => app.token('fan_resume') });
      const before = receive((handlers) => first.trpc.teams.onNews.subscribe({ teamId: 'nba-lal' }, handlers));
      await until(() => before.started === 1 && listening('nba-lal') === 1, 10_000, 'the subscription to be live');
      const sourceId = await ingest(path, ['nba-lal'], [story('lal-a', 0)]);
      await until(() => before.events.length === 1, 10_000, 'the first story');
      const lastEventId = before.events[0]?.id ?? '';
      await first.close();
      await until(() => listening('nba-lal') === 0, 5_000, 'the server to release the stream');

      await ingest(path, ['nba-lal'], [story('lal-a', 0), story('lal-b', 1), story('lal-c', 2)], sourceId);

      const second = liveClient({ url: app.url, token: () => app.token('fan_resume') });
      try {
        const after = receive((handlers) => second.trpc.teams.onNews.subscribe({ teamId: 'nba-lal', lastEventId }, handlers));
        await until(() => after.events.length >= 2, 10_000, 'the two missed stories');
        // A later story proves nothing else was on its way before it.
        await ingest(path, ['nba-lal'], [story('lal-a', 0), story('lal-b', 1), story('lal-c', 2), story('lal-d', 3)], sourceId);
        await until(() => after.events.length >= 3, 10_000, 'the next live story');
        expect(titles(after)).toEqual(['Story lal-b', 'Story lal-c', 'Story lal-d']);
        expect(after.ids().every((id) => BigInt(id) > BigInt(lastEventId))).toBe(true);
      } finally {
        await second.close();
      }
    });

    it('resumes by itself after the network drops and delivers what it missed, once each', async () => {
      const path = '/live/mia.xml';
      const proxy = await startProxy(Number(new URL(app.url).port));
      let holdToken: Promise<void> = Promise.resolve();
      const client = liveClient({
        url: proxy.url,
        token: async () => {
          await holdToken;
          return app.token('fan_drop');
        },
      });
      try {
        const news = receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId: 'nba-mia' }, handlers));
        await until(() => news.started === 1 && listening('nba-mia') === 1, 10_000, 'the subscription to be live');
        const sourceId = await ingest(path, ['nba-mia'], [story('mia-a', 0)]);
        await until(() => news.events.length === 1, 10_000, 'the first story');

        // The next connection waits for its token until the missed stories are stored.
        let release: () => void = () => undefined;
        holdToken = new Promise<void>((resolve) => {
          release = resolve;
        });
        proxy.cut();
        await until(() => client.attempts() === 2, 10_000, 'the client to reconnect');
        await until(() => listening('nba-mia') === 0, 5_000, 'the server to release the dropped stream');
        await ingest(path, ['nba-mia'], [story('mia-a', 0), story('mia-b', 1), story('mia-c', 2)], sourceId);
        release();

        await until(() => news.events.length >= 3, 10_000, 'the missed stories');
        await ingest(path, ['nba-mia'], [story('mia-a', 0), story('mia-b', 1), story('mia-c', 2), story('mia-d', 3)], sourceId);
        await until(() => news.events.length >= 4, 10_000, 'the next live story');
        expect(titles(news)).toEqual(['Story mia-a', 'Story mia-b', 'Story mia-c', 'Story mia-d']);
        expect(client.attempts()).toBe(2);
        expect(news.errors).toEqual([]);
      } finally {
        await client.close();
        await proxy.close();
      }
    });
  });
}
