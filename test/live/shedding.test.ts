import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStreamStats } from '@pressbox/jobs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { liveClient, newsItem, receive, singleApiSetups, startProxy, until } from './support.ts';

for (const setup of singleApiSetups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`a subscriber that stops reading, on ${setup.label}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: setup.database, redis: setup.redis });
    });
    afterAll(async () => {
      await app.close();
    });

    it('is shed once it leaves too much unread, then resumes from the event log with nothing lost or repeated', async () => {
      const bus = app.running.services.events;
      const teamId = 'nba-uta';
      const proxy = await startProxy(Number(new URL(app.url).port));
      const slow = liveClient({ url: proxy.url, token: () => app.token('fan_shed_slow'), retryDelayMs: () => 50 });
      const healthy = liveClient({ url: app.url, token: () => app.token('fan_shed_healthy') });
      try {
        const slowNews = receive((handlers) => slow.trpc.teams.onNews.subscribe({ teamId }, handlers));
        const healthyNews = receive((handlers) => healthy.trpc.teams.onNews.subscribe({ teamId }, handlers));
        await until(
          () => slowNews.started === 1 && healthyNews.started === 1 && sharedStreamStats(bus, teamId).subscribers === 2,
          10_000,
          'both live',
        );
        // One event first: a client resumes after the last event it saw.
        const first = await bus.publish({ type: 'news.created', teamId, data: newsItem('uta-first', [teamId]) });
        await until(() => slowNews.ids().includes(first.id) && healthyNews.ids().includes(first.id), 10_000, 'the first event');
        proxy.stopReading();

        // 64 KiB stories until the server lets go of the slow subscriber.
        const contentHtml = `<p>${'y'.repeat(64 * 1024)}</p>`;
        const published: string[] = [first.id];
        const shed = () => sharedStreamStats(bus, teamId).subscribers < 2;
        while (!shed() && published.length < 1_000) {
          const stored = await bus.publish({
            type: 'news.created',
            teamId,
            data: newsItem(`uta-${String(published.length)}`, [teamId], { contentHtml }),
          });
          published.push(stored.id);
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(shed()).toBe(true);
        // The paused reader never sees its connection go; once it does, its client reconnects and resumes.
        proxy.cut();
        await until(() => slow.attempts() === 2, 10_000, 'the shed client to reconnect');

        const last = await bus.publish({ type: 'news.created', teamId, data: newsItem('uta-last', [teamId]) });
        published.push(last.id);
        await until(() => slowNews.ids().at(-1) === last.id, 15_000, 'the shed subscriber to catch up');
        await until(() => healthyNews.ids().at(-1) === last.id, 15_000, 'the healthy subscriber to get everything');
        expect(slowNews.ids()).toEqual(published);
        expect(healthyNews.ids()).toEqual(published);
        expect(slowNews.errors).toEqual([]);
        expect(healthy.attempts()).toBe(1);
      } finally {
        await slow.close();
        await healthy.close();
        await proxy.close();
      }
    });
  });
}
