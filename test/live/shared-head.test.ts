import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStreamStats } from '@pressbox/jobs';
import { startTestApp, type TestApp } from '../support/app.ts';
import { databaseAvailable } from '../support/databases.ts';
import { redisAvailable } from '../support/redis.ts';
import { liveClient, newsItem, receive, singleApiSetups, until, type LiveClient, type Received } from './support.ts';

for (const setup of singleApiSetups) {
  const available = databaseAvailable(setup.database) && (!setup.redis || redisAvailable());

  describe.skipIf(!available)(`subscribers of one team in one process, on ${setup.label}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ database: setup.database, redis: setup.redis });
    });
    afterAll(async () => {
      await app.close();
    });

    it('share one upstream listener, each get every event, and release it after the last one leaves', async () => {
      const bus = app.running.services.events;
      const teamId = 'nba-mia';
      const clients: LiveClient[] = [];
      const streams: Received[] = [];
      try {
        for (let index = 0; index < 5; index++) {
          const client = liveClient({ url: app.url, token: () => app.token(`fan_shared_${String(index)}`) });
          clients.push(client);
          streams.push(receive((handlers) => client.trpc.teams.onNews.subscribe({ teamId }, handlers)));
        }
        await until(
          () => streams.every((stream) => stream.started === 1) && sharedStreamStats(bus, teamId).subscribers === 5,
          10_000,
          'all live',
        );
        expect(bus.listenerCount({ teamId })).toBe(1);
        expect(sharedStreamStats(bus, teamId).heads).toBe(1);

        const published: string[] = [];
        for (let index = 0; index < 10; index++) {
          published.push((await bus.publish({ type: 'news.created', teamId, data: newsItem(`mia-${String(index)}`, [teamId]) })).id);
        }
        await until(() => streams.every((stream) => stream.ids().length === published.length), 10_000, 'every event everywhere');
        for (const stream of streams) expect(stream.ids()).toEqual(published);

        for (const stream of streams) stream.stop();
        await until(() => bus.listenerCount({ teamId }) === 0 && sharedStreamStats(bus, teamId).heads === 0, 10_000, 'the head released');
      } finally {
        for (const client of clients) await client.close();
      }
    });

    it('lets a client resume from an older id mid-stream and join the head with no gap and no duplicate', async () => {
      const bus = app.running.services.events;
      const teamId = 'nba-orl';
      const live = liveClient({ url: app.url, token: () => app.token('fan_join_live') });
      const late = liveClient({ url: app.url, token: () => app.token('fan_join_late') });
      try {
        const head = receive((handlers) => live.trpc.teams.onNews.subscribe({ teamId }, handlers));
        await until(() => head.started === 1 && bus.listenerCount({ teamId }) === 1, 10_000, 'the head live');
        const published: string[] = [];
        const publish = async (count: number) => {
          for (let index = 0; index < count; index++) {
            published.push(
              (await bus.publish({ type: 'news.created', teamId, data: newsItem(`orl-${String(published.length)}`, [teamId]) })).id,
            );
            await bus.publish({ type: 'dashboard.updated', teamId, data: { teamId, reason: 'noise' } });
          }
        };
        await publish(20);
        await until(() => head.ids().length === 20, 10_000, 'the head to have them');
        const resumeAfter = published[4]!;
        const joined = receive((handlers) => late.trpc.teams.onNews.subscribe({ teamId, lastEventId: resumeAfter }, handlers));
        // Events keep coming while the late client catches up from the log.
        await publish(20);
        await until(() => joined.ids().at(-1) === published.at(-1), 10_000, 'the late client to catch up');
        await until(() => head.ids().at(-1) === published.at(-1), 10_000, 'the head to get everything');
        expect(joined.ids()).toEqual(published.slice(5));
        expect(head.ids()).toEqual(published);
        expect(bus.listenerCount({ teamId })).toBe(1);
      } finally {
        await live.close();
        await late.close();
      }
    });
  });
}
